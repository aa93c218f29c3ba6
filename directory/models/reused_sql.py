"""Querysets whose SQL is compiled once and reused while only their filter values change.

A detail page prefetches a dozen relations of one record, and the ORM compiles each
prefetch query anew on every request: choosing columns, joins and ordering cost more than
the database's work. The queries differ from request to request only in the ids they
filter on.

A queryset made by reusing_sql() keeps, on its query and every clone of it (the prefetch
machinery filters and clones it), the SQL its compiler produced and the compiler's state
that reading rows needs (columns, related objects, converters), keyed by the query's shape
and its WHERE clause's SQL. A later query of the same shape compiles only its WHERE clause
(cheap: it is what carries the values) and runs the kept SQL with that clause's parameters.
SQL is kept only when all of its parameters are the WHERE clause's, so that nothing else
that might vary is frozen into it.
"""

import functools

from django.core.exceptions import EmptyResultSet
from django.db.models.sql import Query

# This module subclasses Django's Query and its compilers and copies compiler attributes
# that are not public (COMPILER_STATE): it was written for, and is tested against, this
# release alone. tests/test_reused_sql.py fails on any other, so that an upgrade of Django
# reads this module again before it runs.
RELIES_ON = {"Django": "5.2.19"}

# What a compiler sets up while compiling that the reading of rows relies on.
COMPILER_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")
# At most this many shapes per queryset (shapes differ by the number of ids filtered on).
SHAPES_KEPT = 64


class ReusedSQLQuery(Query):
    """A query whose clones share one store of compiled SQL (Query.clone copies its
    attributes shallowly, so `reused_sql` is the same dict in every clone)."""

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        compiler.__class__ = reusing(type(compiler))
        return compiler


def reusing_sql(queryset, store):
    """A clone of the queryset whose compiled SQL is kept in `store` (a dict, the same for
    every queryset built the same way: see kept_sql) for the next query of its shape."""
    clone = queryset.all()
    clone.query.__class__ = ReusedSQLQuery
    clone.query.reused_sql = store
    return clone


@functools.cache
def kept_sql(*recipe):
    """The store of compiled SQL for the querysets a recipe (anything hashable that names
    how they are built) builds."""
    return {}


@functools.cache
def reusing(compiler_class):
    return type(f"Reusing{compiler_class.__name__}", (ReusingCompiler, compiler_class), {})


class ReusingCompiler:
    def as_sql(self, with_limits=True, with_col_aliases=False):
        store = getattr(self.query, "reused_sql", None)
        if store is None or self.query.combinator:
            return super().as_sql(with_limits, with_col_aliases)
        try:
            where_sql, where_params = self.compile(self.query.where)
        except EmptyResultSet:
            return super().as_sql(with_limits, with_col_aliases)
        key = (
            shape(self.query),
            self.connection.alias,
            with_limits,
            with_col_aliases,
            self.elide_empty,
            where_sql,
        )
        kept = store.get(key)
        if kept is not None:
            sql, state = kept
            self.__dict__.update(state)
            return sql, tuple(where_params)
        sql, params = super().as_sql(with_limits, with_col_aliases)
        if list(params) == list(where_params) and len(store) < SHAPES_KEPT:
            store[key] = sql, {name: getattr(self, name) for name in COMPILER_STATE}
        return sql, params


def shape(query):
    """What, besides its WHERE clause, decides a query's SQL: its columns, joins, order,
    slice and grouping. A queryset built by reusing_sql() is only ever filtered by the
    prefetch machinery, so this is a safeguard rather than the whole of its identity."""
    return (
        query.model,
        query.default_cols,
        tuple(query.select),
        tuple(query.values_select),
        tuple(query.annotation_select),
        tuple(query.extra_select),
        query.order_by,
        query.extra_order_by,
        query.default_ordering,
        query.standard_ordering,
        str(query.select_related),
        query.deferred_loading[0],
        query.deferred_loading[1],
        query.distinct,
        query.distinct_fields,
        query.low_mark,
        query.high_mark,
        query.group_by is None,
        query.subquery,
        query.select_for_update,
        tuple(query.extra_tables),
        tuple((alias, getattr(join, "join_type", None)) for alias, join in query.alias_map.items()),
    )
