"""PlanVersion moved here from the periods app (issue 14): state only.

The table stays `periods_planversion` with its rows, constraints and the foreign keys of
the periods' runs pointing at it; only Django's idea of which app owns the model changes.
`periods.0004_plans_and_payouts_moved_out` removes the model from the periods' state.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('installations', '0002_installation_jwks_refetch_attempted_at'),
        # The table is created there (0002) on a new database.
        ('periods', '0003_bulk_rows_without_constraints'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='PlanVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=255)),
                        ('document', models.JSONField()),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('active', 'Active'), ('retired', 'Retired')], default='draft', max_length=16)),
                        ('in_force_from', models.DateField(blank=True, null=True)),
                        ('validated_at', models.DateTimeField(blank=True, null=True)),
                        ('errors', models.JSONField(blank=True, default=list)),
                        ('created_by', models.CharField(blank=True, max_length=255)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('activated_by', models.CharField(blank=True, max_length=255)),
                        ('activated_at', models.DateTimeField(blank=True, null=True)),
                        ('retired_by', models.CharField(blank=True, max_length=255)),
                        ('retired_at', models.DateTimeField(blank=True, null=True)),
                        ('installation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plan_versions', to='installations.installation')),
                    ],
                    options={
                        'db_table': 'periods_planversion',
                        'ordering': ['installation_id', 'id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('installation', 'in_force_from'), name='uniq_active_plan_start'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'active'), _negated=True), ('in_force_from__isnull', False), _connector='OR'), name='active_plan_has_start')],
                    },
                ),
            ],
        ),
    ]
