from decimal import Decimal

from django.db import migrations


def create_packages(apps, schema_editor):
    Package = apps.get_model("registries", "Package")
    if Package.objects.exists():
        return
    Package.objects.create(
        name="Free",
        price=Decimal("0"),
        currency="GBP",
        gift_limit=25,
        features="Up to 25 gifts\nKeep-it-a-surprise mode\nPurchase reminders for guests",
        is_default=True,
        sort_order=0,
    )
    Package.objects.create(
        name="Plus",
        price=Decimal("29"),
        currency="GBP",
        gift_limit=100,
        features="Up to 100 gifts\nEverything in Free\nThank-you tracker export",
        sort_order=1,
    )
    Package.objects.create(
        name="Unlimited",
        price=Decimal("59"),
        currency="GBP",
        gift_limit=None,
        features="As many gifts as you like\nEverything in Plus\nPriority support",
        sort_order=2,
    )


class Migration(migrations.Migration):
    dependencies = [("registries", "0002_package_and_visibility")]

    operations = [migrations.RunPython(create_packages, migrations.RunPython.noop)]
