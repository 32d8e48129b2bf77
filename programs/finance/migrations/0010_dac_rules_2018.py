import datetime
from decimal import Decimal

from django.db import migrations

from cooperation.roles import sync_roles_in_migration

# The OECD DAC rules for concessional loans in force since 2018: category, minimum grant element, discount rate.
RULES_2018 = (
    ("ldc", "45", "9"),
    ("lmic", "15", "7"),
    ("umic", "10", "6"),
    ("mdb", "10", "5"),
    ("multilateral", "10", "6"),
)
IN_FORCE_FROM = datetime.date(2018, 1, 1)


def add_rules(apps, schema_editor):
    DacRule = apps.get_model("finance", "DacRule")
    for category, minimum, rate in RULES_2018:
        DacRule.objects.get_or_create(
            category=category,
            valid_from=IN_FORCE_FROM,
            defaults={"minimum_grant_element": Decimal(minimum), "discount_rate": Decimal(rate)},
        )


def remove_rules(apps, schema_editor):
    apps.get_model("finance", "DacRule").objects.filter(valid_from=IN_FORCE_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0009_dac_rules")]

    operations = [
        migrations.RunPython(add_rules, remove_rules),
        migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop),
    ]
