// Serves a Saleor Dashboard build as a single-page app: files of the build under the mount
// (`/dashboard/`), every other path under it gets index.html (the Dashboard routes in the
// browser), `/` redirects to the mount.
//
//   node serve-dashboard.mjs <build dir> <host> <port> <mount>
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";

const [root, host, port, mount] = process.argv.slice(2);
const base = resolve(root);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".webmanifest": "application/manifest+json",
  ".map": "application/json",
};

function send(response, file, status = 200) {
  response.writeHead(status, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-cache" });
  createReadStream(file).pipe(response);
}

createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
  if (!path.startsWith(mount)) {
    response.writeHead(302, { Location: mount });
    response.end();
    return;
  }
  const file = join(base, normalize(path.slice(mount.length)));
  let isFile = false;
  try {
    isFile = file.startsWith(base) && statSync(file).isFile();
  } catch {
    // not a file of the build: the app's route
  }
  console.log(`${request.method} ${request.url} ${isFile ? "file" : "index"}`);
  send(response, isFile ? file : join(base, "index.html"));
}).listen(Number(port), host, () => console.log(`serving ${base} at http://${host}:${port}${mount}`));
