"""values() queries of the records related to a page of ids, compiled once per process.

A list's page nests the records each of its rows leads to, one query per relation, and those
queries differ from page to page only in their ids. Building and compiling each with the ORM
(and preparing each id, and converting each row through the values() iterable) cost more than
the database's work: about half of the organization list's time. Here the ORM compiles each
shape once (per model, lookup, columns, database and number of ids); later pages run its SQL
with their own ids and convert only the columns that have converters (dates on SQLite).
"""

import functools

from django.db import connections


@functools.lru_cache(maxsize=512)
def compiled(model, lookup, columns, count, using):
    """The SQL of model.objects.filter(**{lookup: [count ids]}).values(*columns) and the
    expressions it selects; None if its parameters are not exactly the ids (a default manager
    that filters, say), which such a query cannot be reused for."""
    sentinels = list(range(1, count + 1))
    queryset = model._default_manager.using(using).filter(**{lookup: sentinels})
    compiler = queryset.values(*columns).query.get_compiler(using)
    sql, params = compiler.as_sql()
    if list(params) != sentinels:
        return None
    return sql, [expression for expression, _sql, _alias in compiler.select]


def values_for_ids(model, lookup, ids, columns, using="default"):
    """model.objects.filter(**{lookup: ids}).values(*columns) as a list of dicts (ids: a
    list of primary keys of the model `lookup` leads to), in the query's own order."""
    columns, ids = tuple(columns), list(dict.fromkeys(ids))
    if not ids:
        return []
    shape = compiled(model, lookup, columns, len(ids), using)
    if shape is None:
        return list(model._default_manager.using(using).filter(**{lookup: ids}).values(*columns))
    sql, selected = shape
    connection = connections[using]
    compiler = model._default_manager.none().query.get_compiler(connection=connection)
    converters = list(compiler.get_converters(selected).items())
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        rows = cursor.fetchall()
    if converters:
        rows = [convert(row, converters, connection) for row in rows]
    return [dict(zip(columns, row, strict=True)) for row in rows]


def convert(row, converters, connection):
    row = list(row)
    for position, (functions, expression) in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row
