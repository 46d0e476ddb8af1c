"""Adjustments, payout holds, balances and the minimum payout moved here from the periods
app (issue 14): state only.

Every table keeps its name and rows (`periods_adjustment`, `periods_payouthold`,
`periods_partnerbalance`, `periods_periodsettings`); `Adjustment` is called
`BalanceAdjustment` and `PeriodSettings` `PayoutSettings` now.
`periods.0004_plans_and_payouts_moved_out` removes the models from the periods' state.
"""

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('installations', '0002_installation_jwks_refetch_attempted_at'),
        ('network', '0004_email_code_ci_indexes'),
        # The tables are created there (0002, 0003) on a new database.
        ('periods', '0003_bulk_rows_without_constraints'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='PayoutSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('minimum_payout', models.DecimalField(decimal_places=4, default=Decimal('25'), max_digits=20)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('installation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='payout_settings', to='installations.installation')),
                    ],
                    options={
                        'verbose_name_plural': 'payout settings',
                        'db_table': 'periods_periodsettings',
                    },
                ),
                migrations.CreateModel(
                    name='BalanceAdjustment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.DecimalField(decimal_places=4, max_digits=20)),
                        ('reason', models.TextField()),
                        ('approved_by', models.CharField(max_length=255)),
                        ('created_by', models.CharField(blank=True, max_length=255)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('installation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='installations.installation')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='money_adjustments', to='network.partner')),
                        ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='adjustments', to='periods.period')),
                    ],
                    options={
                        'db_table': 'periods_adjustment',
                        'ordering': ['created_at', 'id'],
                        'indexes': [models.Index(fields=['period', 'partner'], name='periods_adj_period__229e67_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('amount', 0), _negated=True), name='adjustment_not_zero'), models.CheckConstraint(condition=models.Q(models.Q(('reason', ''), _negated=True), models.Q(('approved_by', ''), _negated=True)), name='adjustment_reason_approver')],
                    },
                ),
                migrations.CreateModel(
                    name='PartnerBalance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('earned', models.DecimalField(decimal_places=4, max_digits=20)),
                        ('adjustments', models.DecimalField(decimal_places=4, max_digits=20)),
                        ('carried_in', models.DecimalField(decimal_places=4, max_digits=20)),
                        ('payable', models.DecimalField(decimal_places=4, max_digits=20)),
                        ('paid', models.DecimalField(decimal_places=4, max_digits=20)),
                        ('carried_forward', models.DecimalField(decimal_places=4, max_digits=20)),
                        ('reason', models.CharField(blank=True, choices=[('paid', 'Paid'), ('below_minimum', 'Below the minimum payout'), ('negative', 'Negative'), ('held', 'Payout hold'), ('nothing', 'Nothing to pay')], max_length=16)),
                        ('partner', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.partner')),
                        ('period', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='balances', to='periods.period')),
                        ('run', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='periods.periodrun')),
                    ],
                    options={
                        'db_table': 'periods_partnerbalance',
                        'indexes': [models.Index(fields=['partner', 'period'], name='balance_partner_period_idx')],
                        'constraints': [models.UniqueConstraint(fields=('period', 'partner'), name='uniq_balance_per_period_partner')],
                    },
                ),
                migrations.CreateModel(
                    name='PayoutHold',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.TextField()),
                        ('starts_on', models.DateField()),
                        ('ends_on', models.DateField(blank=True, null=True)),
                        ('created_by', models.CharField(blank=True, max_length=255)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('released_by', models.CharField(blank=True, max_length=255)),
                        ('released_at', models.DateTimeField(blank=True, null=True)),
                        ('release_reason', models.TextField(blank=True)),
                        ('installation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='installations.installation')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payout_holds', to='network.partner')),
                    ],
                    options={
                        'db_table': 'periods_payouthold',
                        'ordering': ['starts_on', 'id'],
                        'indexes': [models.Index(fields=['installation', 'partner'], name='periods_pay_install_adbee6_idx')],
                    },
                ),
            ],
        ),
    ]
