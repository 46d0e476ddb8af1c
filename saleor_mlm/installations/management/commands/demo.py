"""saleor-mlm demo: the whole app on one machine, without Saleor, in one command.

Sets up the embedded default (a SQLite file in ./var unless DATABASE_URL is set; Celery
tasks run in-process, period runs in a thread beside the requests, the periodic sweeps of
CELERY_BEAT_SCHEDULE in a thread of the server, core/beat.py), migrates, collects
static files, creates the demo installation (a fake Saleor with its own signing key, see
installations/demo.py), loads demo data when a loader exists, and serves the app with
gunicorn on 127.0.0.1:8000.

    saleor-mlm demo                    # set up and serve
    saleor-mlm demo --port 8080 --host 0.0.0.0
    saleor-mlm demo --no-serve         # set up only
    saleor-mlm demo --no-data          # the demo installation without demo data
"""

import importlib
import importlib.util
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from saleor_mlm.core.beat import start_in_process_beat
from saleor_mlm.installations.demo import ensure_demo_installation

# Later issues add demo partners, orders and periods here; the module is optional.
DEMO_DATA_MODULE = "saleor_mlm.demo"
# CSP host sources cannot name IPv6 literals: [::1] is left out.
LOOPBACK_ORIGINS = ("http://localhost:*", "http://127.0.0.1:*")


class Command(BaseCommand):
    help = "Set up the demo (SQLite in ./var, in-process tasks, demo installation) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help=_("address to serve on (default 127.0.0.1; 0.0.0.0 for every interface)"))
        parser.add_argument("--port", type=int, default=8000, help=_("port to serve on (default 8000)"))
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not start the server")
        parser.add_argument("--no-data", action="store_true", help="only the demo installation, no demo data")
        parser.add_argument("--workers", type=int, default=1, help="gunicorn worker processes (default 1)")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")

    def handle(self, *args, host, port, no_serve, no_data, workers, threads, **options):
        if settings.CELERY_BROKER_URL:
            # Eager mode is decided when settings load; with a broker the demo's webhooks would
            # wait for a worker that the demo does not start.
            raise CommandError(
                "the demo runs background tasks in-process: unset CELERY_BROKER_URL "
                f"(it is {settings.CELERY_BROKER_URL!r}) and run it again"
            )
        # `saleor-mlm demo` set it before the settings loaded (cli.py: the demo runs on the
        # development key); set here too for the demo started by call_command.
        os.environ.setdefault("SALEOR_MLM_DEMO", "1")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        database = settings.DATABASES["default"]
        where = database["NAME"] if database["ENGINE"].endswith("sqlite3") else f"{database['ENGINE']} {database['NAME']}"
        self.stdout.write(f"database: {where}")

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        installation, created = ensure_demo_installation()
        self.stdout.write(
            f"demo installation {'created' if created else 'ready'}: {installation.saleor_api_url} "
            f"(signing key in {settings.DATA_DIR})"
        )

        # --- hook: demo data (written by the network/ledger work; optional) ---------------
        if not no_data and importlib.util.find_spec(DEMO_DATA_MODULE) is not None:
            loader = getattr(importlib.import_module(DEMO_DATA_MODULE), "load_demo_data", None)
            if loader is not None:
                loader(installation, self.stdout)

        base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
        self.stdout.write(f"manifest: {base}/api/manifest")
        self.stdout.write(f"health:   {base}/healthz")
        self.stdout.write(f"pages:    {base}/dashboard/  (the app pages that appear inside the Saleor Dashboard)")
        self.stdout.write(f"graphql:  {base}/graphql/")
        if no_serve:
            return
        if not os.environ.get("MLM_PERIOD_RUNS_IN_THREAD"):
            # Period closes run beside the requests, as with a worker, so the pages show their
            # progress (periods/tasks.py: start_period_run). Set only for the server: the demo
            # data above was computed in-process, in order.
            settings.MLM_PERIOD_RUNS_IN_THREAD = True
        self._serve(host, port, workers, threads)

    def _serve(self, host: str, port: int, workers: int, threads: int) -> None:
        from gunicorn.app.base import BaseApplication

        from saleor_mlm.wsgi import application

        if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS and host not in ("0.0.0.0", "::"):
            settings.ALLOWED_HOSTS.append(host)
        # A Saleor Dashboard on this machine (any port: a local Saleor, the e2e's stand-in)
        # may frame the demo's pages; see saleor_mlm/installations/origins.py.
        settings.SALEOR_DASHBOARD_ORIGINS = [*settings.SALEOR_DASHBOARD_ORIGINS, *LOOPBACK_ORIGINS]
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

        class DemoServer(BaseApplication):
            def load_config(self):
                for key, value in {
                    "bind": bind,
                    "workers": workers,
                    "threads": threads,
                    "worker_class": "gthread",
                    "accesslog": None,
                    "errorlog": "-",
                    "timeout": 60,
                    # The periodic sweeps (CELERY_BEAT_SCHEDULE) in a thread of one worker:
                    # without a broker nothing else runs them (core/beat.py).
                    "post_worker_init": lambda worker: start_in_process_beat(),
                }.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        # Workers are forked from this process: they must not share its database connections.
        connections.close_all()
        self.stdout.write(self.style.SUCCESS(f"serving on http://{bind} (Ctrl+C stops)"))
        self.stdout.flush()
        DemoServer().run()
