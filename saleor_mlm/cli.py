"""The `saleor-mlm` console script.

Database-free commands (`simulate`, `plan`) go straight to the engine; everything else is
a Django management command, so `saleor-mlm demo` is `manage.py demo` with settings set.
Hyphenated command names map to module names: `reprocess-webhooks` -> `reprocess_webhooks`.
Two-word commands are a command with subcommands: `saleor-mlm network import FILE` runs
the `network` command's `import` (as `period close` does).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in {"simulate", "plan"}:
        from saleor_mlm.engine.cli import main as engine_main

        return engine_main(argv) or 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    if argv and not argv[0].startswith("-"):
        argv[0] = argv[0].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["saleor-mlm", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
