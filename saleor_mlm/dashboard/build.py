"""Where the built extension is.

By default the Vite build output in the repository (`dashboard-extension/dist`, next to the
`saleor_mlm` package of an editable install or a checkout). A deployment that builds the
extension elsewhere points `SALEOR_MLM_DASHBOARD_DIR` (environment) or the setting
`DASHBOARD_DIST_DIR` at the folder holding `index.html`.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

REPOSITORY_DIST = Path(__file__).resolve().parent.parent.parent / "dashboard-extension" / "dist"


def dist_dir() -> Path:
    configured = getattr(settings, "DASHBOARD_DIST_DIR", None) or os.environ.get("SALEOR_MLM_DASHBOARD_DIR")
    return Path(configured) if configured else REPOSITORY_DIST
