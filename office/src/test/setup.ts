import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

import "../../../web-shared/test/jsdom";

afterEach(() => cleanup());

// `findBy…`/`waitFor` wait up to 10 s instead of 1 s: a guard against a hang, not a speed
// check (whole pages rendered in jsdom missed 1 s on a loaded 2-core machine).
configure({ asyncUtilTimeout: 10000 });
