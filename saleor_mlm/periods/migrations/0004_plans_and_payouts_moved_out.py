"""Plan versions went to the plans app, adjustments, holds, balances and settings to the
payouts app (issue 14): state only, every table stays as it is.

The runs' references to plan versions now point at `plans.PlanVersion` (the same table,
so the same foreign key constraints); the moved models leave the periods' state.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('periods', '0003_bulk_rows_without_constraints'),
        ('plans', '0001_initial'),
        ('payouts', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='periodrun',
                    name='compared_plan_version',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='plans.planversion'),
                ),
                migrations.AlterField(
                    model_name='periodrun',
                    name='plan_version',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='runs', to='plans.planversion'),
                ),
                migrations.DeleteModel(name='Adjustment'),
                migrations.DeleteModel(name='PartnerBalance'),
                migrations.DeleteModel(name='PayoutHold'),
                migrations.DeleteModel(name='PeriodSettings'),
                migrations.DeleteModel(name='PlanVersion'),
            ],
        ),
    ]
