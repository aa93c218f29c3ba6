"""Records written as their serializer writes them, by that serializer's own fields.

The serializers are the one declaration of what a record looks like in JSON. A list of
fifty organizations, though, runs a serializer for each organization and for each record it
nests, and builds their fields anew for every request: what DRF does around the fields, not
the fields themselves, made most of the list's cost. A RecordWriter takes a serializer's
fields once, as the serializer builds them from its Meta.fields and declared fields, and
writes each record by calling those fields' own get_attribute() and to_representation(),
as the serializer would; only what leads elsewhere is written its own way:

- a link to a record's own address (a HyperlinkedIdentityField: LinkField), through Links,
  which reverses each view once per request;
- a nested serializer, or a related record read as a summary (LinkedSlugField), by a
  RecordWriter of that serializer, for one record or for many.

Any other field that needs the request or its serializer (a SerializerMethodField, another
kind of related field, a file) is refused when the writer is made, not written wrongly.
tests/directory/test_api_listing.py holds the organizations' JSON written this way byte-equal to
DRF's generic actions with the serializers.
"""

import functools

from django.db import models
from django.db.models.manager import BaseManager
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import (
    HyperlinkedIdentityField,
    ManyRelatedField,
    RelatedField,
)

from directory.api.common import LinkedSlugField
from directory.library_internals import reusing_sql, sql_store


@functools.cache
def writer_for(serializer_class):
    """The RecordWriter of a serializer class, made once per process."""
    return RecordWriter(serializer_class)


class RecordWriter:
    """Writes a record as `serializer_class(record).data` holds it; `links` (a Links for
    the request) writes the addresses."""

    def __init__(self, serializer_class):
        self.serializer_class = serializer_class
        # Built without a request: the fields used here read the record alone.
        fields = serializer_class().fields
        self.columns = [
            (name, field.get_attribute, written(field))
            for name, field in fields.items()
            if not field.write_only
        ]

    def __call__(self, record, links):
        written = {}
        for name, read, write in self.columns:
            try:
                value = read(record)
            except SkipField:
                continue
            written[name] = None if value is None else write(value, links)
        return written

    def many(self, records, links):
        return [self(record, links) for record in records]


def written(field):
    """How a field's value is written: a function of the value and the request's Links."""
    if isinstance(field, HyperlinkedIdentityField):
        return link(field)
    if isinstance(field, serializers.ListSerializer):
        nested = writer_for(type(field.child))
        # As ListSerializer.to_representation reads a relation.
        return lambda value, links: nested.many(
            value.all() if isinstance(value, BaseManager) else value, links
        )
    if isinstance(field, serializers.BaseSerializer):
        return writer_for(type(field))
    if isinstance(field, ManyRelatedField) and isinstance(field.child_relation, LinkedSlugField):
        # ManyRelatedField.get_attribute has read the relation's records already.
        return writer_for(field.child_relation.summary).many
    if isinstance(field, LinkedSlugField):
        return writer_for(field.summary)
    if isinstance(
        field,
        RelatedField | ManyRelatedField | serializers.SerializerMethodField | serializers.FileField,
    ):
        raise TypeError(
            f"{type(field.parent).__name__}.{field.field_name} is written with the request "
            "or its serializer: a RecordWriter cannot write it."
        )
    return lambda value, links: field.to_representation(value)


def link(field):
    """A record's address, as HyperlinkedIdentityField (and LinkField) writes it."""
    if field.format is not None:
        raise TypeError(
            f"{type(field.parent).__name__}.{field.field_name} links to another format than "
            "the request's: a RecordWriter cannot write it."
        )
    view_name, lookup_field = field.view_name, field.lookup_field
    kwarg = field.lookup_url_kwarg

    def write(record, links):
        if getattr(record, "pk", None) in (None, ""):
            return None
        return links(view_name, getattr(record, lookup_field), kwarg)

    return write


@functools.cache
def row_writer_for(serializer_class):
    """The RowWriter of a serializer class, made once per process."""
    return RowWriter(serializer_class)


class RowWriter:
    """Writes records as `serializer_class(record).data` holds them, from values() rows
    rather than instances: one query for the records (with what they lead to by a foreign
    key joined in) and one per relation they list, each read as rows and grouped by
    record, so that no model instance, related manager or queryset is made per record.

    What is read and how it is written both follow the serializer's own fields, as
    RecordWriter's do: a column is read for each field of the model, joined columns for a
    nested record or summary, a query for each nested list; each value is written by its
    field's to_representation(). A field read from a property of the model (a partial date
    written in words) is computed on the row by the model's own property, from the columns
    the serializer reads. Any other kind of field is refused when the writer is made.
    tests/directory/test_api_listing.py holds what it writes byte-equal to DRF's generic actions."""

    def __init__(self, serializer_class, prefix=""):
        self.model = serializer_class.Meta.model
        self.prefix = prefix
        self.columns = [prefix + self.model._meta.pk.attname]
        self.parts = []  # (name, (kind, ...)): how each field is written, see write
        self.relations = {}  # name: Relation
        self.row_class = None
        for name, field in serializer_class().fields.items():
            if not field.write_only:
                self.parts.append((name, self.part(name, field)))
        self.columns = list(dict.fromkeys(self.columns))

    def part(self, name, field):
        model, prefix = self.model, self.prefix
        source = field.source
        if isinstance(field, HyperlinkedIdentityField):
            if field.format is not None:
                raise TypeError(f"{type(field.parent).__name__}.{name} links to another format.")
            column = self.read(field.lookup_field)
            view_name, kwarg = field.view_name, field.lookup_url_kwarg
            return ("call", lambda row, related, links: links(view_name, row[column], kwarg))
        if isinstance(field, serializers.ListSerializer):
            return self.listed(name, source, type(field.child))
        if isinstance(field, ManyRelatedField) and isinstance(
            field.child_relation, LinkedSlugField
        ):
            return self.listed(name, source, field.child_relation.summary)
        if isinstance(field, serializers.BaseSerializer | LinkedSlugField):
            summary = field.summary if isinstance(field, LinkedSlugField) else type(field)
            foreign_key = model._meta.get_field(source)
            null = self.read(foreign_key.attname)
            nested = RowWriter(summary, prefix=f"{prefix}{source}__")
            if nested.relations or nested.row_class:
                raise TypeError(f"{model.__name__}.{source} nests what a join cannot read.")
            self.columns += nested.columns
            return (
                "call",
                lambda row, related, links: (
                    None if row[null] is None else nested.write(row, related, links)
                ),
            )
        if isinstance(
            field,
            RelatedField
            | ManyRelatedField
            | serializers.SerializerMethodField
            | serializers.FileField,
        ):
            raise TypeError(
                f"{type(field.parent).__name__}.{name} is written with the request or its "
                "serializer: a RowWriter cannot write it."
            )
        concrete = {f.name: f for f in model._meta.concrete_fields}
        represent = field.to_representation
        if source in concrete:
            column = self.read(concrete[source].attname)
            if type(field) in WRITTEN_AS_STORED:
                return ("column", column)
            return ("represented", column, represent)
        if isinstance(getattr(model, source, None), property) and not prefix:
            self.row_class = self.row_class or row_class(model)
            return ("property", getattr(model, source).fget, represent)
        raise TypeError(f"{model.__name__}.{source} is neither a column nor a property.")

    def read(self, attname):
        column = self.prefix + attname
        self.columns.append(column)
        return column

    def listed(self, name, source, serializer_class):
        if self.prefix:
            raise TypeError(f"{self.model.__name__}.{source} lists records inside a join.")
        relation = Relation(self.model, source, serializer_class)
        self.relations[name] = relation
        pk = self.columns[0]
        return (
            "call",
            lambda row, related, links: [
                relation.writer.write(record, related, links)
                for record in related[name].get(row[pk], ())
            ],
        )

    @functools.cached_property
    def write(self):
        """write(row, related, links): the record's JSON as a dict. Made as Python source
        from the parts, once, so that a record is written by one dict display, as code
        written by hand for this serializer would write it (a page writes some hundreds)."""
        names = {"row_class": self.row_class}
        values = []
        for number, (name, (kind, *part)) in enumerate(self.parts):
            if kind == "column":
                value = f"row[{part[0]!r}]"
            elif kind == "represented":
                names[f"represent{number}"] = part[1]
                value = f"(None if (v := row[{part[0]!r}]) is None else represent{number}(v))"
            elif kind == "property":
                names[f"read{number}"], names[f"represent{number}"] = part
                value = f"(None if (v := read{number}(record)) is None else represent{number}(v))"
            else:
                names[f"call{number}"] = part[0]
                value = f"call{number}(row, related, links)"
            values.append(f"{name!r}: {value}")
        # The model's properties read the row through an object whose attributes it holds.
        record = "record = row_class.__new__(row_class); record.__dict__ = row\n    "
        source = (
            "def write(row, related, links):\n    "
            + (record if self.row_class else "")
            + "return {"
            + ", ".join(values)
            + "}\n"
        )
        exec(source, names)
        return names["write"]

    def rows(self, ids):
        """The records `ids` as written rows, in that order (a record deleted meanwhile is
        left out); one query for them and one for each relation they list."""
        pk = self.columns[0]
        records = self.read_rows.filter(pk__in=ids)
        found = {row[pk]: row for row in compiled_once(records, self.model, self.columns, ids)}
        related = {name: relation.read(list(found)) for name, relation in self.relations.items()}
        return [(pk_, found[pk_], related) for pk_ in ids if pk_ in found]

    def many(self, ids, links):
        return [self.write(row, related, links) for _pk, row, related in self.rows(ids)]

    @functools.cached_property
    def read_rows(self):
        """The records' columns, as every page reads them: built once, filtered by ids for
        each (selecting columns across joins costs more than the filter)."""
        return self.model._default_manager.values(*self.columns)


class Relation:
    """The records a record lists (its other names, its memberships), read as rows for
    many records at once and grouped by the record they belong to, in the related model's
    own order, as prefetching them would."""

    def __init__(self, model, source, serializer_class):
        field = model._meta.get_field(source)
        self.writer = RowWriter(serializer_class)
        if self.writer.relations:
            raise TypeError(f"{model.__name__}.{source} lists records that list records.")
        self.related_model = field.related_model
        if field.many_to_many and not field.auto_created:  # declared on this model
            self.lookup = field.related_query_name()
        else:  # the reverse of a foreign key or of a many-to-many field of the other model
            self.lookup = field.field.name
        self.owner = f"{self.lookup}_of_row"

    @functools.cached_property
    def read_rows(self):
        """The related records' columns with the record each belongs to, built once and
        filtered by that annotation for each page: on the annotation, a many-to-many
        relation is joined once. Only records that belong to one: an inner join, which the
        planner reads from the link's index on the owners asked for rather than from every
        related record."""
        return (
            self.related_model._default_manager.filter(**{f"{self.lookup}__isnull": False})
            .annotate(**{self.owner: models.F(self.lookup)})
            .values(self.owner, *self.writer.columns)
        )

    def read(self, ids):
        grouped = {}
        if not ids:
            return grouped
        rows = self.read_rows.filter(**{f"{self.owner}__in": ids})
        for row in compiled_once(rows, self.related_model, self.lookup, self.writer.columns, ids):
            grouped.setdefault(row[self.owner], []).append(row)
        return grouped


# Fields whose to_representation() gives back a stored value of the column's own type as it
# is (str() of a string, int() of an integer, a choice's own value): written without a call.
WRITTEN_AS_STORED = {
    serializers.CharField,
    serializers.ChoiceField,
    serializers.IntegerField,
    serializers.SlugField,
    serializers.URLField,
    serializers.EmailField,
}


def compiled_once(queryset, *shape):
    """The queryset with its SQL compiled once per process for each number of ids it is
    asked for (directory.library_internals): these queries are built on every list
    request, and only their ids change."""
    *recipe, ids = shape
    return reusing_sql(queryset, sql_store("row-writer", *map(tuple_of, recipe), len(ids)))


def tuple_of(value):
    return tuple(value) if isinstance(value, list) else value


def row_class(model):
    """A class whose instances hold a values() row and answer the model's properties from
    it: what a property reads of the record, the row holds under the same names."""
    properties = {}
    for klass in reversed(model.__mro__):
        properties.update(
            {name: value for name, value in vars(klass).items() if isinstance(value, property)}
        )
    return type(f"{model.__name__}Row", (), properties)
