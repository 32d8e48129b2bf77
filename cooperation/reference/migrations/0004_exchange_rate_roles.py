"""Give the roles their exchange-rate permissions (see cooperation/roles.py)."""

from django.db import migrations

from cooperation.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_exchange_rates"), ("cooperation", "0002_roles")]
    operations = [migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop)]
