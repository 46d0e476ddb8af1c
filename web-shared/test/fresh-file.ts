// Each test file starts as in a jsdom of its own. Both apps run Vitest with `isolate: false`
// (their vite.config.ts): a worker's test files share one jsdom and one module cache, one file
// after the other, instead of a new jsdom and a fresh import of React, macaw-ui and the app for
// every file, which was most of the component tests' time on two cores. What a file may leave
// behind is put back before and after it (each app's src/test/setup.ts): the address, the
// storages, the cookies, spies, stubbed globals and fake timers (the mounted trees go after
// each test: setup.ts's cleanup).

/** The parts of Vitest's `vi` used here (this folder has no node_modules to import it from). */
interface Vi {
  restoreAllMocks(): unknown;
  unstubAllGlobals(): unknown;
  unstubAllEnvs(): unknown;
  useRealTimers(): unknown;
}

export function freshFile(vi: Vi) {
  window.history.replaceState(null, "", "/");
  window.sessionStorage.clear();
  window.localStorage.clear();
  for (const cookie of document.cookie.split(";")) {
    const name = cookie.split("=")[0].trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  }
  document.documentElement.removeAttribute("lang");
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.useRealTimers();
}
