"""A run computes one partner program; null: the default program, as every earlier run (issue 19)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('periods', '0005_period_moved_to_calendar'),
        ('programs', '0002_default_programs'),
    ]

    operations = [
        migrations.AddField(
            model_name='periodrun',
            name='program',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programs.program'),
        ),
    ]
