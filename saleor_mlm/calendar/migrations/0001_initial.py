"""Period and PeriodEvent moved here from the periods app (issue 14): state only.

The tables stay `periods_period` and `periods_periodevent` with their rows, constraints,
index and the foreign keys pointing at them; only Django's idea of which app owns the
models changes. `periods.0005_period_moved_to_calendar` removes them from the periods' state.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('installations', '0002_installation_jwks_refetch_attempted_at'),
        ('periods', '0004_plans_and_payouts_moved_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Period',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_on', models.DateField()),
                        ('ends_on', models.DateField()),
                        ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed'), ('approved', 'Approved'), ('committed', 'Committed')], default='open', max_length=16)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_by', models.CharField(blank=True, max_length=255)),
                        ('approved_at', models.DateTimeField(blank=True, null=True)),
                        ('approved_by', models.CharField(blank=True, max_length=255)),
                        ('committed_at', models.DateTimeField(blank=True, null=True)),
                        ('committed_by', models.CharField(blank=True, max_length=255)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('close_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='periods.periodrun')),
                        ('installation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='periods', to='installations.installation')),
                    ],
                    options={
                        'db_table': 'periods_period',
                        'ordering': ['installation_id', 'starts_on'],
                    },
                ),
                migrations.CreateModel(
                    name='PeriodEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('closed', 'Closed'), ('run_failed', 'Run failed'), ('run_succeeded', 'Run succeeded'), ('approved', 'Approved'), ('reopened', 'Re-opened'), ('committed', 'Committed'), ('plan_created', 'Plan version created'), ('plan_updated', 'Plan version updated'), ('plan_activated', 'Plan version activated'), ('plan_retired', 'Plan version retired'), ('rank_override_set', 'Rank override set'), ('rank_override_removed', 'Rank override removed'), ('adjustment_added', 'Adjustment added'), ('hold_placed', 'Payout hold placed'), ('hold_released', 'Payout hold released'), ('settings_changed', 'Settings changed')], max_length=32)),
                        ('actor', models.CharField(blank=True, max_length=255)),
                        ('reason', models.TextField(blank=True)),
                        ('data', models.JSONField(blank=True, default=dict)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('installation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='installations.installation')),
                        ('period', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='calendar.period')),
                    ],
                    options={
                        'db_table': 'periods_periodevent',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='period',
                    constraint=models.UniqueConstraint(fields=('installation', 'starts_on'), name='uniq_period_start'),
                ),
                migrations.AddConstraint(
                    model_name='period',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='period_ends_after_start'),
                ),
                migrations.AddIndex(
                    model_name='periodevent',
                    index=models.Index(fields=['installation', 'kind', 'created_at'], name='periods_per_install_60e3f5_idx'),
                ),
            ],
        ),
    ]
