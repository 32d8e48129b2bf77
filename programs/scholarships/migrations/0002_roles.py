"""Give the roles their scholarship and exchange-activity permissions (see cooperation/roles.py)."""

from django.db import migrations

from cooperation.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [("scholarships", "0001_initial"), ("shipments", "0002_roles"), ("cooperation", "0002_roles")]
    operations = [migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop)]
