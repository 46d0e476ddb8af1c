"""Every installation gets its default program (docs/adr/0007-partner-programs.md).

The default program holds what the installation had: its plan versions are given to it by
plans.0002; its membership is the partner table and its volume the ledger entries without
a program, so nothing else is written. Later installations get theirs on first need
(`programs.fetch.default_program`).
"""

from django.db import migrations

# As in saleor_mlm.programs (a migration does not import the app's current code).
DEFAULT_CODE = "main"
DEFAULT_NAME = "Partner program"


def create_default_programs(apps, schema_editor):
    Installation = apps.get_model("installations", "Installation")
    Program = apps.get_model("programs", "Program")
    have = set(Program.objects.filter(is_default=True).values_list("installation_id", flat=True))
    Program.objects.bulk_create(
        Program(installation_id=pk, code=DEFAULT_CODE, name=DEFAULT_NAME, is_default=True, products="all")
        for pk in Installation.objects.order_by("pk").values_list("pk", flat=True)
        if pk not in have
    )


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_default_programs, migrations.RunPython.noop),
    ]
