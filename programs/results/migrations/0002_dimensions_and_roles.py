"""The managed list of disaggregation dimensions every framework starts from, and the results permissions given to
each role."""

from django.db import migrations

from cooperation.roles import sync_roles_in_migration

# (code, name, values add up to the total, [(code, name), ...]); IATI dimension names and values.
DIMENSIONS = [
    ("sex", "Sex", True, [("female", "Female"), ("male", "Male"), ("other", "Other / not stated")]),
    ("age", "Age group", True, [("0-14", "0–14"), ("15-24", "15–24"), ("25-64", "25–64"), ("65+", "65 and over")]),
    ("disability", "Disability", True, [("with", "With a disability"), ("without", "Without a disability")]),
    ("location", "Location", True, [("urban", "Urban"), ("rural", "Rural")]),
    (
        "beneficiary",
        "Beneficiary type",
        False,
        [("refugee", "Refugee"), ("idp", "Internally displaced"), ("host", "Host community"), ("other", "Other")],
    ),
]


def add_dimensions(apps, schema_editor):
    Dimension = apps.get_model("results", "Dimension")
    DimensionValue = apps.get_model("results", "DimensionValue")
    for position, (code, name, covers_everyone, values) in enumerate(DIMENSIONS):
        dimension, _ = Dimension.objects.get_or_create(
            code=code, defaults={"name": name, "covers_everyone": covers_everyone, "position": position}
        )
        for value_position, (value_code, value_name) in enumerate(values):
            DimensionValue.objects.get_or_create(
                dimension=dimension, code=value_code, defaults={"name": value_name, "position": value_position}
            )


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [
        migrations.RunPython(add_dimensions, migrations.RunPython.noop),
        migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop),
    ]
