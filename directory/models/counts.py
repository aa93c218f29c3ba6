"""How many rows a large table holds, kept by the database itself.

An unfiltered list of organizations counts the whole table for its `count` and its pages:
a good part of its answer on PostgreSQL, and a part that grows with the table.
Triggers keep each counted table's number of rows in TableRows, in the same transaction as
the insert or delete, whichever path made it (the ORM, bulk_create, raw SQL, an import);
CountedQuerySet.count() reads it for a queryset without conditions or joins.

The triggers are (re)made and the numbers recounted after every `migrate` and `flush`
(post_migrate): SQLite loses a table's triggers when a migration rebuilds the table, and a
flush empties TableRows with the rest. Where a number is missing (a TRUNCATE on PostgreSQL
deletes its table's, say), count() counts the table as Django would.
"""

from django.db import connections, models, router


class TableRows(models.Model):
    table_name = models.CharField(max_length=63, primary_key=True)
    row_count = models.BigIntegerField()

    class Meta:
        verbose_name = "table's row count"

    def __str__(self):
        return f"{self.table_name}: {self.row_count}"


class CountedQuerySet(models.QuerySet):
    def count(self):
        if self._result_cache is None and self.counts_whole_table():
            stored = (
                TableRows.objects.using(self.db)
                .filter(table_name=self.model._meta.db_table)
                .values_list("row_count", flat=True)
                .first()
            )
            if stored is not None:
                return stored
        return super().count()

    def counts_whole_table(self):
        """Whether this queryset's count is its table's: no condition, join, distinct,
        slice, union or grouping."""
        query = self.query
        return (
            not query.where
            and not query.distinct
            and not query.is_sliced
            and not query.combinator
            and query.group_by is None
            and set(query.alias_map) <= {self.model._meta.db_table}
        )


def trigger_sql(vendor, table):
    """Statements that make (or remake) `table`'s counting triggers and recount it."""
    counter = TableRows._meta.db_table
    recount = [
        f"DELETE FROM {counter} WHERE table_name = '{table}'",
        f"INSERT INTO {counter} (table_name, row_count) SELECT '{table}', COUNT(*) FROM {table}",
    ]
    if vendor == "sqlite":
        return [
            *drop_trigger_sql(vendor, table),
            f"CREATE TRIGGER {table}_rows_added AFTER INSERT ON {table} BEGIN "
            f"UPDATE {counter} SET row_count = row_count + 1 "
            f"WHERE table_name = '{table}'; END",
            f"CREATE TRIGGER {table}_rows_removed AFTER DELETE ON {table} BEGIN "
            f"UPDATE {counter} SET row_count = row_count - 1 "
            f"WHERE table_name = '{table}'; END",
            *recount,
        ]
    if vendor == "postgresql":
        return [
            # One update per statement, however many rows it adds or removes.
            f"""CREATE OR REPLACE FUNCTION {counter}_added() RETURNS trigger
                LANGUAGE plpgsql AS $$ BEGIN
                UPDATE {counter} SET row_count = row_count + (SELECT COUNT(*) FROM added)
                WHERE table_name = TG_TABLE_NAME; RETURN NULL; END $$""",
            f"""CREATE OR REPLACE FUNCTION {counter}_removed() RETURNS trigger
                LANGUAGE plpgsql AS $$ BEGIN
                UPDATE {counter} SET row_count = row_count - (SELECT COUNT(*) FROM removed)
                WHERE table_name = TG_TABLE_NAME; RETURN NULL; END $$""",
            f"""CREATE OR REPLACE FUNCTION {counter}_emptied() RETURNS trigger
                LANGUAGE plpgsql AS $$ BEGIN
                DELETE FROM {counter} WHERE table_name = TG_TABLE_NAME; RETURN NULL; END $$""",
            *drop_trigger_sql(vendor, table),
            f"CREATE TRIGGER {table}_rows_added AFTER INSERT ON {table} "
            f"REFERENCING NEW TABLE AS added FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {counter}_added()",
            f"CREATE TRIGGER {table}_rows_removed AFTER DELETE ON {table} "
            f"REFERENCING OLD TABLE AS removed FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {counter}_removed()",
            f"CREATE TRIGGER {table}_rows_emptied AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {counter}_emptied()",
            *recount,
        ]
    return []


def drop_trigger_sql(vendor, table):
    """Statements that remove `table`'s counting triggers, if it has them."""
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_rows_{event}" for event in ("added", "removed")]
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_rows_{event} ON {table}"
            for event in ("added", "removed", "emptied")
        ]
    return []


def drop_counting(schema_editor, tables):
    """Undo what keep_counts() made, before TableRows itself goes: a trigger left behind
    would make every insert into its table fail."""
    vendor = schema_editor.connection.vendor
    for table in tables:
        for statement in drop_trigger_sql(vendor, table):
            schema_editor.execute(statement)
    if vendor == "postgresql":
        for event in ("added", "removed", "emptied"):
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {TableRows._meta.db_table}_{event}()")


def keep_counts(models_to_count, using="default"):
    """Make the counting triggers of these models' tables and recount them."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if TableRows._meta.db_table not in tables:
        return
    with connection.cursor() as cursor:
        for model in models_to_count:
            if model._meta.db_table in tables and router.allow_migrate_model(using, model):
                for statement in trigger_sql(connection.vendor, model._meta.db_table):
                    cursor.execute(statement)
