"""The web process under an ASGI server; the same start-up rules as saleor_mlm/wsgi.py."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
application = get_asgi_application()

from saleor_mlm.core.startup import report_database_problem, run_app_checks  # noqa: E402 - after Django is set up

run_app_checks()
report_database_problem()
