import pytest


@pytest.fixture
def dist(settings, tmp_path):
    """A dashboard build in a temporary folder: the page, a hashed asset, a file at the root."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text('<!doctype html><div id="root"></div>')
    (root / "assets" / "index-abc123.js").write_text("console.log(1)")
    (root / "favicon.svg").write_text("<svg/>")
    settings.DASHBOARD_DIST_DIR = str(root)
    return root
