"""Serving a Vite build of a single-page app: the dashboard extension and the partner office.

Every path under the app's prefix that is not a file of the build answers `index.html` (the
app routes in the browser). Hashed assets (`assets/`) and versioned vendor files
(`vendor/<package>@<version>/`) are cached for a year; `index.html` never, so a new build is
picked up at once. Without a build the answer is a 503 page that says how to make one.

Where a build is: a folder named by a setting or the environment (a deployment that builds
elsewhere), else the build inside the package (the wheel ships it, build_hooks.py), else the
Vite output in the checkout.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse
from django.utils.html import escape

IMMUTABLE = "public, max-age=31536000, immutable"

MISSING_BUILD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} not built</title></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem; max-width: 40rem">
<h1>The {title} is not built</h1>
<p>No <code>index.html</code> in <code>{path}</code>.</p>
<p>Build it once (Node 20 and npm):</p>
<pre>cd {source}
npm ci
npm run build</pre>
<p>or point <code>{variable}</code> at a folder with a build. See {docs}.</p>
</body></html>
"""


def find_build(configured: str | None, packaged: Path, repository: Path) -> Path:
    """The configured folder, else the packaged build when it has an `index.html`, else the
    checkout's."""
    if configured:
        return Path(configured)
    return packaged if (packaged / "index.html").is_file() else repository


def serve_build(
    request,
    root: Path,
    subpath: str,
    *,
    missing: dict[str, str],
    page_headers: Callable[[HttpResponse], HttpResponse],
) -> HttpResponse | FileResponse:
    """A file of the build at `root`, or its `index.html` for any other path. `missing` fills
    the missing-build page (`title`, `source`, `variable`, `docs`); `page_headers` adds the
    page's own headers (its Content-Security-Policy) to HTML answers."""
    root = root.resolve()
    index = root / "index.html"
    if not index.is_file():
        response = HttpResponse(MISSING_BUILD.format(path=escape(str(root)), **missing), status=503, content_type="text/html")
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return page_headers(response)

    if subpath:
        candidate = (root / subpath).resolve()
        if candidate.is_relative_to(root) and candidate.is_file() and candidate != index:
            served = FileResponse(candidate.open("rb"), content_type=content_type(candidate.name))
            if subpath.startswith(("assets/", "vendor/")):
                served["Cache-Control"] = IMMUTABLE
            return served
        if subpath.startswith("assets/"):
            raise Http404("no such asset")

    response = HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return page_headers(response)


def content_type(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name)
    if name.endswith((".js", ".mjs")):
        return "text/javascript"
    return guessed or "application/octet-stream"
