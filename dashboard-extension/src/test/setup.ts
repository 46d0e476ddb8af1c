import { cleanup, configure } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, vi } from "vitest";

import "../../../web-shared/test/jsdom";
import { freshFile } from "../../../web-shared/test/fresh-file";

afterEach(() => cleanup());
// One jsdom serves a worker's files one after the other (isolate: false in vite.config.ts).
beforeAll(() => freshFile(vi));
afterAll(() => freshFile(vi));

// `findBy…`/`waitFor` wait up to 10 s instead of 1 s: a guard against a hang, not a speed
// check (whole pages rendered in jsdom missed 1 s on a loaded 2-core machine).
configure({ asyncUtilTimeout: 10000 });
