from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0002_default_programs"),
    ]

    operations = [
        migrations.AddField(
            model_name="program",
            name="pv_metadata_key",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="program",
            name="bv_metadata_key",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
