"""Give the roles the outbox's permissions (see cooperation/roles.py)."""

from django.db import migrations

from cooperation.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("cooperation", "0002_roles"),
    ]
    operations = [migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop)]
