"""How many rows a large table holds, kept by the database itself.

An unfiltered list of organizations counts the whole table for its `count` and its pages:
a good part of its answer on PostgreSQL, and a part that grows with the table.
Triggers keep each counted table's number of rows in TableRows, in the same transaction as
the insert or delete, whichever path made it (the ORM, bulk_create, raw SQL, an import);
CountedQuerySet.count() reads it for a queryset without conditions or joins.

After every `migrate` and `flush` (post_migrate) the triggers are checked: SQLite loses a
table's triggers when a migration rebuilds the table, and a flush empties TableRows with the
rest. Only what is missing or differs is made again, and a table is recounted only then or
when its number is missing: a deploy that changes nothing takes no lock on the tables, so it
never waits for an import that holds one. Where a number is missing (a TRUNCATE on
PostgreSQL deletes its table's, say), count() counts the table as Django would.
"""

import hashlib

from django.db import connections, models, router, transaction


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


def counting_objects(vendor, table):
    """The schema objects that keep `table`'s number: [(kind, name, CREATE statement)], kind
    "function" or "trigger"."""
    counter = TableRows._meta.db_table
    if vendor == "sqlite":
        return [
            (
                "trigger",
                f"{table}_rows_{event}",
                f"CREATE TRIGGER {table}_rows_{event} AFTER {operation} ON {table} BEGIN "
                f"UPDATE {counter} SET row_count = row_count {sign} 1 "
                f"WHERE table_name = '{table}'; END",
            )
            for event, operation, sign in (("added", "INSERT", "+"), ("removed", "DELETE", "-"))
        ]
    if vendor == "postgresql":
        # One update per statement, however many rows it adds or removes.
        changes = {
            "added": "row_count = row_count + (SELECT COUNT(*) FROM added)",
            "removed": "row_count = row_count - (SELECT COUNT(*) FROM removed)",
        }
        functions = [
            (
                "function",
                f"{counter}_{event}",
                f"CREATE OR REPLACE FUNCTION {counter}_{event}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN UPDATE {counter} SET {change} "
                f"WHERE table_name = TG_TABLE_NAME; RETURN NULL; END $$",
            )
            for event, change in changes.items()
        ]
        functions.append(
            (
                "function",
                f"{counter}_emptied",
                f"CREATE OR REPLACE FUNCTION {counter}_emptied() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN DELETE FROM {counter} "
                f"WHERE table_name = TG_TABLE_NAME; RETURN NULL; END $$",
            )
        )
        triggers = [
            (
                "trigger",
                f"{table}_rows_{event}",
                f"CREATE TRIGGER {table}_rows_{event} AFTER {operation} ON {table} "
                f"{transition}FOR EACH STATEMENT EXECUTE FUNCTION {counter}_{event}()",
            )
            for event, operation, transition in (
                ("added", "INSERT", "REFERENCING NEW TABLE AS added "),
                ("removed", "DELETE", "REFERENCING OLD TABLE AS removed "),
                ("emptied", "TRUNCATE", ""),
            )
        ]
        return functions + triggers
    return []


def fingerprint(statement):
    return "counts:" + hashlib.sha256(statement.encode()).hexdigest()[:16]


def objects_in_place(cursor, vendor, table):
    """{(kind, name): what identifies the object in place}: its CREATE statement on SQLite,
    which keeps it as written; on PostgreSQL the fingerprint of the statement that made it,
    kept as the object's comment."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
        )
        return {("trigger", name): sql for name, sql in cursor.fetchall()}
    cursor.execute(
        "SELECT tgname, obj_description(oid, 'pg_trigger') FROM pg_trigger "
        "WHERE tgrelid = %s::regclass AND NOT tgisinternal",
        [table],
    )
    found = {("trigger", name): comment for name, comment in cursor.fetchall()}
    cursor.execute(
        "SELECT proname, obj_description(oid, 'pg_proc') FROM pg_proc "
        "WHERE proname LIKE %s AND pronamespace = 'public'::regnamespace",
        [f"{TableRows._meta.db_table}%"],
    )
    found.update({("function", name): comment for name, comment in cursor.fetchall()})
    return found


def statements_to_keep_counting(cursor, vendor, table):
    """What makes `table`'s counting objects as they should be: nothing if they are."""
    in_place = objects_in_place(cursor, vendor, table)
    statements = []
    for kind, name, create in counting_objects(vendor, table):
        made_by = create if vendor == "sqlite" else fingerprint(create)
        if in_place.get((kind, name)) == made_by:
            continue
        if kind == "trigger":
            on = f" ON {table}" if vendor == "postgresql" else ""
            statements.append(f"DROP TRIGGER IF EXISTS {name}{on}")
        statements.append(create)
        if vendor == "postgresql":
            what = f"TRIGGER {name} ON {table}" if kind == "trigger" else f"FUNCTION {name}()"
            statements.append(f"COMMENT ON {what} IS '{fingerprint(create)}'")
    return statements


def recount_sql(table):
    counter = TableRows._meta.db_table
    return [
        f"DELETE FROM {counter} WHERE table_name = '{table}'",
        f"INSERT INTO {counter} (table_name, row_count) SELECT '{table}', COUNT(*) FROM {table}",
    ]


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
    """Make what is missing or out of date of these models' tables' counting triggers, and
    recount a table whose triggers were made or whose number is missing."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if TableRows._meta.db_table not in tables:
        return
    counted = set(TableRows.objects.using(using).values_list("table_name", flat=True))
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for model in models_to_count:
            table = model._meta.db_table
            if table not in tables or not router.allow_migrate_model(using, model):
                continue
            statements = statements_to_keep_counting(cursor, connection.vendor, table)
            if statements or table not in counted:
                statements += recount_sql(table)
            for statement in statements:
                cursor.execute(statement)
