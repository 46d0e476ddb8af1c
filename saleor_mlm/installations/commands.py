"""What the app's management commands share: which installation, who runs it, progress.

    installation = installation_option(options.get("installation"))
    bar = ProgressBar(sys.stderr)
    bar("reading", 40, "400,000 rows")
"""

from __future__ import annotations

import getpass
import time

from django.core.management.base import CommandError

from saleor_mlm.installations.models import Installation, normalize_api_url


def installation_option(api_url: str | None) -> Installation:
    """The installation named by `--installation API_URL`, or the only one there is."""
    if api_url:
        installation = Installation.objects.for_api_url(api_url).first()
        if installation is None:
            raise CommandError(f"No installation with the API URL {normalize_api_url(api_url)}.")
        return installation
    installations = list(Installation.objects.all()[:2])
    if len(installations) == 1:
        return installations[0]
    if not installations:
        raise CommandError("No Saleor installation yet: install the app first.")
    raise CommandError("More than one installation: name one with --installation API_URL.")


def cli_user(by: str | None) -> str:
    """Who does it: `--by`, else `cli:<unix user>`."""
    return by or f"cli:{getpass.getuser()}"


class ProgressBar:
    """`phase [#####.....]  45%  detail` on a terminal; one line per phase otherwise."""

    WIDTH = 30

    def __init__(self, stream, enabled: bool = True):
        self.stream, self.enabled = stream, enabled
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last_phase: str | None = None
        self.started = time.monotonic()

    def __call__(self, phase: str, percent: int, detail: str = "") -> None:
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        if self.tty:
            filled = self.WIDTH * percent // 100
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stream.write(f"\r{phase:<9}[{bar}] {percent:3d}%  {elapsed:6.1f}s  {detail[:30]:<30}")
            self.stream.flush()
        elif phase != self.last_phase:
            self.stream.write(f"{phase:<9}{percent:3d}%  {elapsed:6.1f}s\n")
            self.stream.flush()
        self.last_phase = phase

    def done(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
