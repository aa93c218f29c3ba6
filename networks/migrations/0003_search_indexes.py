"""Search indexes: an FTS5 trigram table per model on SQLite, pg_trgm GIN indexes on
PostgreSQL (see directory.search)."""

from django.db import migrations

from directory.search import index_operations


class Migration(migrations.Migration):
    dependencies = [("networks", "0002_search_fields")]

    operations = index_operations("networks.Network", "networks.Program")
