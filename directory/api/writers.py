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

from django.db.models.manager import BaseManager
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import (
    HyperlinkedIdentityField,
    ManyRelatedField,
    RelatedField,
)

from directory.api.common import LinkedSlugField


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
