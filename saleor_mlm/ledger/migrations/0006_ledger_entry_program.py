"""Ledger entries name the partner program they count in (issue 19). Existing entries keep
no program: they are the default program's, as every later default entry is (the
append-only trigger is not touched: adding a column updates no row). The covering index of
the per-period sums gets the program after the period; one entry per event, line and
program."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0005_append_only_trigger_installation_delete'),
        ('programs', '0002_default_programs'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='ledgerentry',
            name='uniq_ledger_entry_per_event_line',
        ),
        migrations.RemoveIndex(
            model_name='ledgerentry',
            name='ledger_period_node_idx',
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='program',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programs.program'),
        ),
        migrations.AddIndex(
            model_name='ledgerentry',
            index=models.Index(fields=['installation', 'period', 'program', 'partner', 'customer'], include=('pv', 'bv'), name='ledger_period_node_idx'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.UniqueConstraint(condition=models.Q(('program__isnull', True), ('source_event__isnull', False)), fields=('source_event', 'order_line_id'), name='uniq_ledger_entry_per_event_line'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.UniqueConstraint(condition=models.Q(('program__isnull', False), ('source_event__isnull', False)), fields=('source_event', 'order_line_id', 'program'), name='uniq_ledger_entry_per_event_line_program'),
        ),
    ]
