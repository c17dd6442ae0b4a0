import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Timestamps the metrics (and the reminder loop) count by: issue 4."""

    dependencies = [
        ("registries", "0003_default_packages"),
    ]

    operations = [
        migrations.AddField(
            model_name="gift",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reservation",
            name="bought_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reservation",
            name="released_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
