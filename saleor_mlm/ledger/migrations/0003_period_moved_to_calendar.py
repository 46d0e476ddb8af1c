"""Ledger entries and attributions name their period in `calendar` (issue 14): state only,
the same table and foreign key constraint."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('calendar', '0001_initial'),
        ('ledger', '0002_append_only_trigger'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='ledgerentry',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ledger_entries', to='calendar.period'),
                ),
                migrations.AlterField(
                    model_name='orderattribution',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='calendar.period'),
                ),
            ],
        ),
    ]
