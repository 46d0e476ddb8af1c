// Starts `saleor-mlm demo` on a free data directory (SQLite, in-process tasks) and waits for it.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export async function startDemo({ port = 8765, repo = resolve(import.meta.dirname, "../..") } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "saleor-mlm-e2e-"));
  // SALEOR_MLM_DEMO=1: the demo and the `saleor-mlm shell` calls on its data run on the
  // development key (saleor_mlm/core/startup.py); `saleor-mlm demo` would set it for itself.
  const env = { ...process.env, SALEOR_MLM_DATA_DIR: dataDir, SALEOR_MLM_DEMO: "1", LOG_FORMAT: "text", LOG_LEVEL: "WARNING" };
  delete env.DATABASE_URL;
  delete env.CELERY_BROKER_URL;
  const executable = process.env.SALEOR_MLM_BIN || join(repo, ".venv", "bin", "saleor-mlm");
  const child = spawn(executable, ["demo", "--port", String(port), "--threads", "8"], {
    cwd: dataDir,
    env,
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
    /** Run Python inside the demo's Django (`saleor-mlm shell -c`), on the same data. */
    shell(code) {
      return execFileSync(executable, ["shell", "--no-imports", "-c", code], { cwd: dataDir, env, encoding: "utf8", timeout: 120_000 });
    },
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
