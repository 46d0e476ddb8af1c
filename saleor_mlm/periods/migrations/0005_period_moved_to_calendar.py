"""Period and PeriodEvent went to the calendar app (issue 14): state only, every table stays
as it is. The runs' and rank overrides' references now point at `calendar.Period` (the same
table, so the same foreign key constraints); the moved models leave the periods' state.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('calendar', '0001_initial'),
        ('credit_notes', '0002_period_moved_to_calendar'),
        ('ledger', '0003_period_moved_to_calendar'),
        ('payouts', '0002_period_moved_to_calendar'),
        ('periods', '0004_plans_and_payouts_moved_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='periodevent',
                    name='period',
                ),
                migrations.AlterField(
                    model_name='rankoverride',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rank_overrides', to='calendar.period'),
                ),
                migrations.AlterField(
                    model_name='periodrun',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='runs', to='calendar.period'),
                ),
                migrations.RemoveField(
                    model_name='periodevent',
                    name='installation',
                ),
                migrations.DeleteModel(
                    name='Period',
                ),
                migrations.DeleteModel(
                    name='PeriodEvent',
                ),
            ],
        ),
    ]
