"""The wheel a merchant installs carries the built dashboard extension and partner office, the
migrations, the catalogs and the logo, and the installed package serves its own builds: no
Node.js and no checkout on the server (build_hooks.py, issue 15 item 6).

The wheel is built for real (`pip wheel`, the build backend of pyproject.toml) from a copy of
the repository's files, with a stand-in for the Vite build so that the test needs no npm.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
MARKER = "<!doctype html><title>stand-in build of the dashboard extension</title>"
OFFICE_MARKER = "<!doctype html><title>stand-in build of the partner office</title>"


def copy_of_the_repository(target: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard",
         "pyproject.toml", "build_hooks.py", "README.md", "saleor_mlm", "dashboard-extension/src",
         "dashboard-extension/package.json", "dashboard-extension/package-lock.json",
         "office/src", "office/package.json", "office/package-lock.json"],
        cwd=REPOSITORY, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, files):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPOSITORY / name, target / name)
    built = target / "dashboard-extension" / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "assets" / "index-abc123.js").write_text("console.log('built');\n")
    (built / "index.html").write_text(MARKER)  # newer than the sources: current, not rebuilt
    office = target / "office" / "dist"
    (office / "assets").mkdir(parents=True)
    (office / "assets" / "index-def456.js").write_text("console.log('office');\n")
    (office / "index.html").write_text(OFFICE_MARKER)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = copy_of_the_repository(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(source)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = out.glob("saleor_mlm-*.whl")
    return found


@pytest.mark.slow
def test_the_wheel_carries_the_dashboard_and_office_builds_migrations_catalogs_and_logo(wheel):
    import saleor_mlm

    names = set(zipfile.ZipFile(wheel).namelist())

    assert wheel.name.startswith(f"saleor_mlm-{saleor_mlm.__version__}-")
    assert {"saleor_mlm/dashboard/dist/index.html", "saleor_mlm/dashboard/dist/assets/index-abc123.js"} <= names
    assert zipfile.ZipFile(wheel).read("saleor_mlm/dashboard/dist/index.html").decode() == MARKER
    assert {"saleor_mlm/office/dist/index.html", "saleor_mlm/office/dist/assets/index-def456.js"} <= names
    assert zipfile.ZipFile(wheel).read("saleor_mlm/office/dist/index.html").decode() == OFFICE_MARKER
    assert "saleor_mlm/installations/static/saleor_mlm/logo.png" in names
    assert "saleor_mlm/webhooks/migrations/0001_initial.py" in names
    assert "saleor_mlm/locale/de/LC_MESSAGES/django.mo" in names
    assert {"saleor_mlm/credit_notes/fonts/latin/DejaVuSans.ttf", "saleor_mlm/credit_notes/fonts/extended/DejaVuSans-Bold.ttf", "saleor_mlm/credit_notes/fonts/LICENSE"} <= names
    assert not any(name.startswith(("build_hooks", "dashboard-extension/", "office/", "tests/")) for name in names)


@pytest.mark.slow
def test_the_installed_package_serves_its_own_dashboard_and_office_builds(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    code = (
        "from saleor_mlm.dashboard.build import dist_dir; print(dist_dir()); "
        "from saleor_mlm.office.build import dist_dir as office; print(office())"
    )
    hidden = ("DJANGO_SETTINGS_MODULE", "SALEOR_MLM_DASHBOARD_DIR", "SALEOR_MLM_OFFICE_DIR")
    env = {name: value for name, value in os.environ.items() if name not in hidden}
    env.update(PYTHONPATH=str(target), DJANGO_SETTINGS_MODULE="saleor_mlm.settings")

    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(target / "saleor_mlm" / "dashboard" / "dist"), str(target / "saleor_mlm" / "office" / "dist")]
