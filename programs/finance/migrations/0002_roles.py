"""Give the roles their finance permissions (see cooperation/roles.py)."""

from django.db import migrations

from cooperation.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial"), ("partners", "0002_notification"), ("cooperation", "0002_roles")]
    operations = [migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop)]
