"""Plan versions belong to a program: every existing version to its installation's default
program (created by programs.0002; again here for an installation registered while the
programs were migrated and the plans not yet). The column becomes required in 0003, in a
transaction of its own (PostgreSQL refuses to alter a table with pending foreign key
checks)."""

import importlib

import django.db.models.deletion
from django.db import migrations, models

create_default_programs = importlib.import_module("saleor_mlm.programs.migrations.0002_default_programs").create_default_programs


def to_default_programs(apps, schema_editor):
    create_default_programs(apps, schema_editor)
    Program = apps.get_model("programs", "Program")
    PlanVersion = apps.get_model("plans", "PlanVersion")
    for program in Program.objects.filter(is_default=True).order_by("pk"):
        PlanVersion.objects.filter(installation_id=program.installation_id).update(program=program)


class Migration(migrations.Migration):

    dependencies = [
        ('installations', '0003_installation_disconnected'),
        ('plans', '0001_initial'),
        ('programs', '0002_default_programs'),
    ]

    operations = [
        migrations.AddField(
            model_name='planversion',
            name='program',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='plan_versions', to='programs.program'),
        ),
        migrations.RunPython(to_default_programs, migrations.RunPython.noop),
    ]
