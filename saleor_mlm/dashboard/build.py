"""Where the built extension is.

- A folder named by the setting `DASHBOARD_DIST_DIR` or `SALEOR_MLM_DASHBOARD_DIR`
  (environment), holding `index.html`: a deployment that builds the extension elsewhere.
- The build inside the package (`saleor_mlm/dashboard/dist`): the wheel ships it
  (build_hooks.py), so `pip install saleor-mlm` needs no Node.js.
- The Vite build output in the repository (`dashboard-extension/dist`, next to the
  `saleor_mlm` package of an editable install or a checkout).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from saleor_mlm.core.builds import find_build

PACKAGED_DIST = Path(__file__).resolve().parent / "dist"
REPOSITORY_DIST = Path(__file__).resolve().parent.parent.parent / "dashboard-extension" / "dist"


def dist_dir() -> Path:
    configured = getattr(settings, "DASHBOARD_DIST_DIR", None) or os.environ.get("SALEOR_MLM_DASHBOARD_DIR")
    return find_build(configured, PACKAGED_DIST, REPOSITORY_DIST)
