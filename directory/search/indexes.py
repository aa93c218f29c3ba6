"""The indexes that make `contains` fast without changing its answers, built by each app's
migrations, and the checks that PostgreSQL's can serve Chinese.

Queries of three or more characters: on SQLite an FTS5 trigram table per model; on
PostgreSQL a pg_trgm GIN index on each column, which serves LIKE '%q%'. One- and
two-character Chinese queries: the names' one- and two-character pieces (search_grams),
indexed as words by FTS5 on SQLite and as an array by a GIN index on PostgreSQL. Other short
queries scan the names.
"""

SEARCHED_FIELDS = ("search_names", "search_description")


def fts_table(model) -> str:
    return f"{model._meta.db_table}_search"


def grams_table(model) -> str:
    return f"{model._meta.db_table}_grams"


def sqlite_fts_statements(fts, table, columns, tokenizer):
    listed = ", ".join(columns)
    new_values = ", ".join(f"new.{column}" for column in columns)
    old_values = ", ".join(f"old.{column}" for column in columns)
    delete = (
        f'INSERT INTO "{fts}"("{fts}", rowid, {listed}) VALUES (\'delete\', old.id, {old_values});'
    )
    insert = f'INSERT INTO "{fts}"(rowid, {listed}) VALUES (new.id, {new_values});'
    return [
        f'CREATE VIRTUAL TABLE "{fts}" USING fts5({listed}, content="{table}", '
        f'content_rowid="id", tokenize="{tokenizer}")',
        f'CREATE TRIGGER "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {insert} END',
        f'CREATE TRIGGER "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {delete} END',
        f'CREATE TRIGGER "{fts}_update" AFTER UPDATE ON "{table}" BEGIN {delete} {insert} END',
        f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',
    ]


def create_index_statements(model, vendor) -> list[str]:
    table = model._meta.db_table
    if vendor == "sqlite":
        return [
            *sqlite_fts_statements(fts_table(model), table, SEARCHED_FIELDS, "trigram"),
            *sqlite_fts_statements(grams_table(model), table, ["search_grams"], "unicode61"),
        ]
    if vendor == "postgresql":
        return [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            *(
                f'CREATE INDEX "{table}_{field}_trgm" ON "{table}" '
                f'USING gin ("{field}" gin_trgm_ops)'
                for field in SEARCHED_FIELDS
            ),
            f'CREATE INDEX "{table}_search_grams_gin" ON "{table}" '
            f"USING gin (string_to_array(search_grams, ' '))",
        ]
    return []


def drop_index_statements(model, vendor) -> list[str]:
    table = model._meta.db_table
    if vendor == "sqlite":
        return [
            statement
            for fts in (fts_table(model), grams_table(model))
            for statement in [
                *(
                    f'DROP TRIGGER IF EXISTS "{fts}_{trigger}"'
                    for trigger in ("insert", "delete", "update")
                ),
                f'DROP TABLE IF EXISTS "{fts}"',
            ]
        ]
    if vendor == "postgresql":
        return [
            *(f'DROP INDEX IF EXISTS "{table}_{field}_trgm"' for field in SEARCHED_FIELDS),
            f'DROP INDEX IF EXISTS "{table}_search_grams_gin"',
        ]
    return []


def create_indexes(model, schema_editor):
    for statement in create_index_statements(model, schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop_indexes(model, schema_editor):
    for statement in drop_index_statements(model, schema_editor.connection.vendor):
        schema_editor.execute(statement)


def trigram_installed(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = %s", ["pg_trgm"])
        return cursor.fetchone() is not None


def chinese_is_indexed(connection) -> bool:
    """pg_trgm ignores non-ASCII letters when the database's LC_CTYPE is C, which would leave
    Chinese names out of the trigram index (searches still answer, but slowly)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm(%s)", ["绿发会"])
        return bool(cursor.fetchone()[0])


def refill_operation(*model_labels):
    """A migration operation that recomputes the search texts of existing records, with the
    current model classes, whose save logic computes them."""
    from django.apps import apps as current_apps
    from django.db import migrations

    def fill(apps, schema_editor):
        for label in model_labels:
            model = current_apps.get_model(label)
            # Read only the columns that exist at this point of the migrations: fields added
            # by later migrations (such as Organization.successor) have no column yet.
            present = [
                field.name
                for field in apps.get_model(label)._meta.concrete_fields
                if any(field.name == current.name for current in model._meta.concrete_fields)
            ]
            for record in (
                model._default_manager.using(schema_editor.connection.alias)
                .only(*present)
                .iterator()
            ):
                record.store_search_text()

    return migrations.RunPython(fill, migrations.RunPython.noop)


def sqlite_rebuild_operation(*model_labels):
    """A migration operation that builds the models' indexes again on SQLite, after an
    operation for which Django rebuilds the table (adding a column with a default, a check
    constraint): the rebuild drops the triggers that keep the FTS5 tables current.
    PostgreSQL alters tables in place and keeps its indexes."""
    from django.db import migrations

    def rebuild(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for label in model_labels:
            model = apps.get_model(label)
            drop_indexes(model, schema_editor)
            create_indexes(model, schema_editor)

    return migrations.RunPython(rebuild, migrations.RunPython.noop)


def index_operations(*model_labels):
    """Migration operations that fill the search texts of existing records and build the
    indexes (SQLite FTS5 or PostgreSQL pg_trgm, nothing on other databases)."""
    from django.db import migrations

    def create(apps, schema_editor):
        for label in model_labels:
            create_indexes(apps.get_model(label), schema_editor)

    def drop(apps, schema_editor):
        for label in model_labels:
            drop_indexes(apps.get_model(label), schema_editor)

    return [refill_operation(*model_labels), migrations.RunPython(create, drop)]
