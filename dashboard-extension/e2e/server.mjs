// The demo server the e2e runs against: `saleor-mlm demo` started on a free data directory
// (SQLite, in-process tasks) and waited for; or, when E2E_SERVER_URL is set, a demo already
// serving (scripts/test.sh starts one for both apps' e2e: the newcomer check's, or this file's
// `serve` below), with its data directory E2E_SERVER_DATA_DIR for `shell` and SALEOR_MLM_BIN
// its `saleor-mlm`.
//
//   node e2e/server.mjs serve --port 8765 --ready <file>
//
// starts one and writes {"base", "dataDir"} as JSON to <file> when it serves; SIGTERM stops it
// and removes its data directory.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(import.meta.dirname, "../..");

/**
 * The environment of the demo and of the `saleor-mlm shell` calls on its data. SALEOR_MLM_DEMO=1:
 * they run on the development key (saleor_mlm/core/startup.py); `saleor-mlm demo` would set it
 * for itself.
 */
function demoEnvironment(dataDir) {
  const env = { ...process.env, SALEOR_MLM_DATA_DIR: dataDir, SALEOR_MLM_DEMO: "1", LOG_FORMAT: "text", LOG_LEVEL: "WARNING" };
  delete env.DATABASE_URL;
  delete env.CELERY_BROKER_URL;
  return env;
}

function shellOn(executable, dataDir) {
  const env = demoEnvironment(dataDir);
  /** Run Python inside the demo's Django (`saleor-mlm shell -c`), on the same data. */
  return (code) => execFileSync(executable, ["shell", "--no-imports", "-c", code], { cwd: dataDir, env, encoding: "utf8", timeout: 120_000 });
}

export async function startDemo({ port = 8765, repo = REPO } = {}) {
  const executable = process.env.SALEOR_MLM_BIN || join(repo, ".venv", "bin", "saleor-mlm");
  if (process.env.E2E_SERVER_URL) {
    const dataDir = process.env.E2E_SERVER_DATA_DIR;
    if (!dataDir) throw new Error("E2E_SERVER_URL needs E2E_SERVER_DATA_DIR, the demo's data directory");
    const response = await fetch(`${process.env.E2E_SERVER_URL}/healthz`).catch((error) => ({ ok: false, status: error.message }));
    if (!response.ok) throw new Error(`the demo at ${process.env.E2E_SERVER_URL} does not answer: ${response.status}`);
    // Not this run's: whoever started it stops it.
    return { base: process.env.E2E_SERVER_URL, dataDir, output: () => "", shell: shellOn(executable, dataDir), async stop() {} };
  }
  const dataDir = mkdtempSync(join(tmpdir(), "saleor-mlm-e2e-"));
  const child = spawn(executable, ["demo", "--port", String(port), "--threads", "8"], {
    cwd: dataDir,
    env: demoEnvironment(dataDir),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the demo server stopped:\n${output}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`the demo server did not come up:\n${output}`);
    await new Promise((done) => setTimeout(done, 500));
  }
  return {
    base,
    dataDir,
    output: () => output,
    shell: shellOn(executable, dataDir),
    async stop() {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // gone already
      }
      await new Promise((done) => setTimeout(done, 300));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2] === "serve") {
  const option = (name) => process.argv[process.argv.indexOf(name) + 1];
  const server = await startDemo({ port: Number(option("--port") || process.env.E2E_PORT || 8765) });
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  writeFileSync(option("--ready"), JSON.stringify({ base: server.base, dataDir: server.dataDir }));
  setInterval(() => undefined, 1 << 30);
}
