"""Where the built office is (see saleor_mlm/core/builds.py for the order):

- a folder named by the setting `OFFICE_DIST_DIR` or `SALEOR_MLM_OFFICE_DIR` (environment);
- the build inside the package (`saleor_mlm/office/dist`): the wheel ships it (build_hooks.py);
- the Vite build output in the checkout (`office/dist`).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from saleor_mlm.core.builds import find_build

PACKAGED_DIST = Path(__file__).resolve().parent / "dist"
REPOSITORY_DIST = Path(__file__).resolve().parent.parent.parent / "office" / "dist"


def dist_dir() -> Path:
    configured = getattr(settings, "OFFICE_DIST_DIR", None) or os.environ.get("SALEOR_MLM_OFFICE_DIR")
    return find_build(configured, PACKAGED_DIST, REPOSITORY_DIST)
