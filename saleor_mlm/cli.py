"""The `saleor-mlm` console script.

Database-free commands (`simulate`, `plan`) go straight to the engine; everything else is
a Django management command, so `saleor-mlm demo` is `manage.py demo` with settings set.
Hyphenated command names map to module names: `reprocess-webhooks` -> `reprocess_webhooks`.

Management commands load the settings, which refuse to start without production keys
(core/startup.py): the command then prints that one line and exits 1. `demo` is the
exception, and says so before the settings load (SALEOR_MLM_DEMO=1).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in {"simulate", "plan"}:
        from saleor_mlm.engine.cli import main as engine_main

        return engine_main(argv) or 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    if argv and argv[0] == "demo":
        os.environ.setdefault("SALEOR_MLM_DEMO", "1")
    if argv and not argv[0].startswith("-"):
        argv[0] = argv[0].replace("-", "_")
    from saleor_mlm.core.startup import refused_start

    # Help runs anywhere: Django lists its own commands then, with the refusal as a note.
    asks_for_help = not argv or argv[0] in {"help", "-h", "--help", "--version"}
    refusal = None if asks_for_help else refused_start()
    if refusal is not None:
        print(f"saleor-mlm: {refusal}", file=sys.stderr)
        return 1
    from django.core.management import execute_from_command_line

    execute_from_command_line(["saleor-mlm", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
