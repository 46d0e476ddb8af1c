"""Adjustments and balances name their period in `calendar` (issue 14): state only, the
same table and foreign key constraint."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('calendar', '0001_initial'),
        ('payouts', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='balanceadjustment',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='adjustments', to='calendar.period'),
                ),
                migrations.AlterField(
                    model_name='partnerbalance',
                    name='period',
                    field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='balances', to='calendar.period'),
                ),
            ],
        ),
    ]
