"""Every plan version has its program (0002); one active version starts in a month per
program, no longer per installation."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0002_plan_version_program'),
    ]

    operations = [
        migrations.AlterField(
            model_name='planversion',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plan_versions', to='programs.program'),
        ),
        migrations.RemoveConstraint(
            model_name='planversion',
            name='uniq_active_plan_start',
        ),
        migrations.AddConstraint(
            model_name='planversion',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('program', 'in_force_from'), name='uniq_active_plan_start'),
        ),
    ]
