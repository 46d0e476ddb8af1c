"""The web process: `gunicorn saleor_mlm.wsgi`.

Loading the settings refuses a start without production keys or with a `DATABASE_URL` the
app does not run on (core/startup.py: gunicorn prints the one line and stops). gunicorn
runs no system checks, so the app's own run here: an error stops the start, a warning is
logged. A database that does not answer or lacks migrations is logged as one error line,
and the process starts anyway: `/healthz` answers 503 until it is fixed, so that a load
balancer keeps it out of rotation meanwhile (a deploy that restarted the web processes
before `saleor-mlm migrate` recovers without a restart).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
application = get_wsgi_application()

from saleor_mlm.core.startup import report_database_problem, run_app_checks  # noqa: E402 - after Django is set up

run_app_checks()
report_database_problem()
