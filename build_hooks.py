"""Build step of the wheel: the dashboard extension ships built inside it.

A merchant installs the wheel with pip and needs no Node.js: `build_py` copies the Vite
build (`dashboard-extension/dist`) into the package as `saleor_mlm/dashboard/dist`, where
`saleor_mlm/dashboard/build.py` finds it. When the checkout has no build yet, or one older
than the extension's sources, it is made first (`npm ci`, `vite build`: Node.js 20+ on the
machine that builds the wheel). `SALEOR_MLM_DASHBOARD_BUILD=skip` builds a wheel without
the extension (its pages then say how to build one); an editable install (`pip install -e`)
serves the checkout's build and copies nothing.

Named in pyproject.toml (`[tool.setuptools.cmdclass]`); not part of the package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
EXTENSION = ROOT / "dashboard-extension"
BUILT = EXTENSION / "dist"
PACKAGED = Path("saleor_mlm") / "dashboard" / "dist"


def _stale() -> bool:
    """No build, or sources changed since it was made."""
    index = BUILT / "index.html"
    if not index.is_file():
        return True
    built_at = index.stat().st_mtime
    sources = [EXTENSION / "package-lock.json", *(EXTENSION / "src").rglob("*")]
    return any(path.is_file() and path.stat().st_mtime > built_at for path in sources)


def build_extension() -> Path | None:
    """The folder of a current build of the extension, built if needed; None when skipped."""
    if os.environ.get("SALEOR_MLM_DASHBOARD_BUILD") == "skip" or not EXTENSION.is_dir():
        return None
    if _stale():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                "building the wheel needs the dashboard extension built: install Node.js 20+ (npm), "
                "or set SALEOR_MLM_DASHBOARD_BUILD=skip for a wheel without it"
            )
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=EXTENSION, check=True)
        subprocess.run([npm, "exec", "--", "vite", "build", "--logLevel", "warn"], cwd=EXTENSION, check=True)
    return BUILT


class BuildPyWithDashboard(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        built = build_extension()
        if built is None:
            self.announce("saleor-mlm: the wheel has no dashboard extension (SALEOR_MLM_DASHBOARD_BUILD=skip)", level=3)
            return
        target = Path(self.build_lib) / PACKAGED
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(built, target)
