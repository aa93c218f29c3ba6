"""Search texts again: the separator between names became ǂ, a letter the trigram indexes
keep, and the Chinese pieces gained start and whole-name marks (see directory.search)."""

from django.db import migrations

from directory.search import refill_operation


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_organization_search_indexes_again")]

    operations = [refill_operation("directory.Organization", "directory.Person")]
