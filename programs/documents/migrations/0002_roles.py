"""The documents permissions given to the roles that hold them (see cooperation.roles)."""

from django.db import migrations

from cooperation.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop)]
