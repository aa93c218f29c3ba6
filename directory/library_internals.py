"""What relies on the internals of Django and django-filter, in one place.

Each piece here reaches past a library's public API because the benchmark showed it saves
time on every request, enough to be worth rereading at each upgrade (the figures are in
docs/performance.md). Each was written for, and is tested against, the releases in
RELIES_ON alone: tests/directory/test_library_internals.py fails on any other, so that an
upgrade reads this module again before it runs.

## SQL compiled once per shape

Querysets whose SQL is compiled once and reused while only their filter values change.

A detail page prefetches a dozen relations of one record, and the ORM compiles each
prefetch query anew on every request: choosing columns, joins and ordering cost more than
the database's work. The queries differ from request to request only in the ids they
filter on.

A queryset made by reusing_sql() keeps, on its query and every clone of it (the prefetch
machinery filters and clones it), the SQL its compiler produced and the compiler's state
that reading rows needs (columns, related objects, converters), keyed by the query's shape
and its WHERE clause's SQL. A later query of the same shape compiles only its WHERE clause
(cheap: it is what carries the values) and runs the stored SQL with that clause's parameters.
SQL is stored only when all of its parameters are the WHERE clause's, so that nothing else
that might vary is frozen into it.

## Filter sets built once

A django-filter FilterSet that builds its form class once per class and language, and
copies its filters shallowly.

django-filter deep-copies every filter of a filter set (and the querysets they hold) and
builds a new form class for every request. This class re-implements FilterSet.__init__ to
copy them shallowly instead, and relies on attributes of django-filter's filters that are
not its public API (`_field`, `model`, `parent`, `method`): it was written for, and is
tested against, the release in RELIES_ON alone. tests/directory/test_filtersets.py fails on
any other, so that an upgrade of django-filter reads this module again before it runs.
"""

import copy
import functools

import django_filters
from django.core.exceptions import EmptyResultSet
from django.db.models.sql import Query
from django.http import QueryDict
from django.utils.translation import get_language

RELIES_ON = {"Django": "5.2.19", "django-filter": "26.2"}

# What a compiler sets up while compiling that the reading of rows relies on.
COMPILER_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")
# At most this many shapes per queryset (shapes differ by the number of ids filtered on).
SHAPES_STORED = 64


class ReusedSQLQuery(Query):
    """A query whose clones share one store of compiled SQL (Query.clone copies its
    attributes shallowly, so `reused_sql` is the same dict in every clone)."""

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        compiler.__class__ = reusing(type(compiler))
        return compiler


def reusing_sql(queryset, store):
    """A clone of the queryset whose compiled SQL is kept in `store` (a dict, the same for
    every queryset built the same way: see sql_store) for the next query of its shape."""
    clone = queryset.all()
    clone.query.__class__ = ReusedSQLQuery
    clone.query.reused_sql = store
    return clone


@functools.cache
def sql_store(*recipe):
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
        if list(params) == list(where_params) and len(store) < SHAPES_STORED:
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


class FilterSetBuiltOnce(django_filters.FilterSet):
    """A filter set whose form class is built once per class and language, whose filters
    are copied shallowly for each use, and which neither validates nor filters a request
    that gives none of its parameters: with no value, no filter applies and no field can be
    invalid."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # As django-filter's, but each filter is a shallow copy: what it builds on use (its
        # form field, its label) it builds on the copy.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            # A form field the class's own filter was asked for (the schema generator asks)
            # was built without a model, so without its label.
            filter_.__dict__.pop("_field", None)
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                # Its method is looked up on the parent through a proxy of its own.
                filter_.method = filter_.method

    def get_form_class(self):
        # Labels are translated as the class is built: one class per language.
        built = type(self).__dict__.get("_form_classes")
        if built is None:
            built = type(self)._form_classes = {}
        language = get_language()
        if language not in built:
            built[language] = super().get_form_class()
        return built[language]

    @property
    def has_conditions(self):
        """Whether the data give a value for any of the form's fields."""
        fields = self.get_form_class().base_fields
        form_prefix = f"{self.form_prefix}-" if self.form_prefix else ""
        return not all(
            field.widget.value_omitted_from_data(self.data, {}, form_prefix + name)
            for name, field in fields.items()
        )

    def is_valid(self):
        if self.is_bound and not self.has_conditions:
            return True
        return super().is_valid()

    @property
    def qs(self):
        if not self.has_conditions:
            return self.queryset.all()
        return super().qs
