"""Search texts again: the separator between names became ǂ, a letter the trigram indexes
keep, and the Chinese pieces gained start and whole-name marks (see directory.search)."""

from django.db import migrations

from directory.search import refill_operation


class Migration(migrations.Migration):
    dependencies = [("networks", "0005_imports")]

    operations = [refill_operation("networks.Network", "networks.Program")]
