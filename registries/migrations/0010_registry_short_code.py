import secrets

from django.db import migrations, models

import registries.models

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def give_each_registry_its_code(apps, schema_editor):
    RegistryPage = apps.get_model("registries", "RegistryPage")
    taken = set()
    for registry in RegistryPage.objects.filter(short_code__isnull=True):
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        while code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        taken.add(code)
        RegistryPage.objects.filter(pk=registry.pk).update(short_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("registries", "0009_email_preferences_from_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="registrypage",
            name="short_code",
            field=models.CharField(editable=False, max_length=12, null=True),
        ),
        migrations.RunPython(give_each_registry_its_code, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registrypage",
            name="short_code",
            field=models.CharField(
                default=registries.models._new_short_code, editable=False, max_length=12, unique=True
            ),
        ),
    ]
