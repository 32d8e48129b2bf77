from django.db import migrations

from cooperation.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [("budgets", "0001_initial")]

    operations = [migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop)]
