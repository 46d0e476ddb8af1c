"""The web process: `gunicorn saleor_mlm.wsgi`.

Loading the settings refuses a start without production keys (core/startup.py: gunicorn
prints the one line and stops). gunicorn runs no system checks, so the app's own run here:
an error stops the start, a warning is logged.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
application = get_wsgi_application()

from saleor_mlm.core.startup import run_app_checks  # noqa: E402 - after Django is set up

run_app_checks()
