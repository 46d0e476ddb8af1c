import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => cleanup());

// `findBy…`/`waitFor` wait up to 10 s instead of 1 s: a guard against a hang, not a speed
// check (whole pages rendered in jsdom missed 1 s on a loaded 2-core machine).
configure({ asyncUtilTimeout: 10000 });

// jsdom lacks these; macaw-ui's popovers and the charts ask for them.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoopResizeObserver as unknown as typeof ResizeObserver;
globalThis.IntersectionObserver ??= NoopResizeObserver as unknown as typeof IntersectionObserver;
window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener() {},
  removeListener() {},
  addEventListener() {},
  removeEventListener() {},
  dispatchEvent: () => false,
})) as unknown as typeof window.matchMedia;
window.scrollTo = () => undefined;
Element.prototype.scrollIntoView ??= () => undefined;
