"""Build the organization search indexes again.

On SQLite, 0005 added a check constraint, for which Django rebuilds the table; the rebuild
drops the triggers that keep the FTS5 tables current, so new and edited organizations were
no longer found. Dropping and creating the indexes restores the triggers and re-reads every
row (on PostgreSQL the trigram indexes survived; building them again is harmless)."""

from django.db import migrations

from directory.search import create_indexes, drop_indexes


def build_again(apps, schema_editor):
    model = apps.get_model("directory", "Organization")
    drop_indexes(model, schema_editor)
    create_indexes(model, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_organization_successor")]

    operations = [migrations.RunPython(build_again, migrations.RunPython.noop)]
