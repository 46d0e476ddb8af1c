"""Build step of the wheel: the dashboard extension and the partner office ship built inside it.

A merchant installs the wheel with pip and needs no Node.js: `build_py` copies each Vite build
(`dashboard-extension/dist`, `office/dist`) into the package (`saleor_mlm/dashboard/dist`,
`saleor_mlm/office/dist`), where `saleor_mlm/dashboard/build.py` and `saleor_mlm/office/build.py`
find them. When the checkout has no build yet, or one older than its sources, it is made
first (`npm ci`, `vite build`: Node.js 20+ on the machine that builds the wheel).
`SALEOR_MLM_DASHBOARD_BUILD=skip` builds a wheel without either (their pages then say how to
build one); an editable install (`pip install -e`) serves the checkout's builds and copies
nothing.

Named in pyproject.toml (`[tool.setuptools.cmdclass]`); not part of the package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# (the Vite project, where its build goes in the package)
FRONT_ENDS = (
    (ROOT / "dashboard-extension", Path("saleor_mlm") / "dashboard" / "dist"),
    (ROOT / "office", Path("saleor_mlm") / "office" / "dist"),
)


def _stale(project: Path) -> bool:
    """No build, or sources changed since it was made."""
    index = project / "dist" / "index.html"
    if not index.is_file():
        return True
    built_at = index.stat().st_mtime
    sources = [project / "package-lock.json", *(project / "src").rglob("*")]
    return any(path.is_file() and path.stat().st_mtime > built_at for path in sources)


def build_front_end(project: Path) -> Path | None:
    """The folder of a current build of `project`, built if needed; None when skipped."""
    if os.environ.get("SALEOR_MLM_DASHBOARD_BUILD") == "skip" or not project.is_dir():
        return None
    if _stale(project):
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                f"building the wheel needs {project.name} built: install Node.js 20+ (npm), "
                "or set SALEOR_MLM_DASHBOARD_BUILD=skip for a wheel without the dashboard and the office"
            )
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=project, check=True)
        subprocess.run([npm, "exec", "--", "vite", "build", "--logLevel", "warn"], cwd=project, check=True)
    return project / "dist"


class BuildPyWithDashboard(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for project, packaged in FRONT_ENDS:
            built = build_front_end(project)
            if built is None:
                self.announce(f"saleor-mlm: the wheel has no {project.name} build (SALEOR_MLM_DASHBOARD_BUILD=skip)", level=3)
                continue
            target = Path(self.build_lib) / packaged
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(built, target)
