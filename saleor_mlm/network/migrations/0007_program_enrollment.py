"""Partner programs other than the default: a partner's membership, its sponsor and Betreuer there (issue 19)."""

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('installations', '0003_installation_disconnected'),
        ('network', '0006_tax_profile'),
        ('programs', '0002_default_programs'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProgramEnrollment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('care_share', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('1'))])),
                ('enrolled_at', models.DateTimeField()),
                ('created_by', models.CharField(blank=True, max_length=255)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('care_partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='network.partner')),
                ('installation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='installations.installation')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='program_enrollments', to='network.partner')),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='enrollments', to='programs.program')),
                ('sponsor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='network.partner')),
            ],
            options={
                'indexes': [models.Index(fields=['program', 'sponsor'], name='network_pro_program_5605eb_idx')],
                'constraints': [models.UniqueConstraint(fields=('program', 'partner'), name='uniq_program_enrollment'), models.CheckConstraint(condition=models.Q(('sponsor', models.F('partner')), _negated=True), name='program_enrollment_not_own_sponsor')],
            },
        ),
    ]
