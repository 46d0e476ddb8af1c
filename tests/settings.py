"""Settings of the test suite: the app's settings, started with keys of its own.

Outside the demo and DEBUG=1 the app refuses to start without SECRET_KEY and
FIELD_ENCRYPTION_KEY (saleor_mlm/core/startup.py). The suite runs what production runs, with
test-only keys set before the settings load; processes the tests start inherit them (tests
of the refusal itself remove them, tests/test_startup.py).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "test-suite-field-encryption-key-not-for-any-deployment")

from saleor_mlm.settings import *  # noqa: F403
