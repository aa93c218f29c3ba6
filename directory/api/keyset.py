"""Keyset pages of a list (`?pagination=keyset`, then its `next` and `previous` links): each
page is read from where the last one stopped, by the values of its last record in the list's
order, not by skipping the records before it (an offset).

A page's position is the values of every term of the list's order, which ends with a unique
term (its slug or id): no two records share a position, so a record inserted or deleted
while a client walks the list moves no other record's position, and no record that was
there when the walk began is skipped or given twice. DRF's CursorPagination keeps only the
first term's value and counts the records that share it (an offset among ties), which an
insertion among those ties shifts; this class keeps DRF's cursors, links and page controls
and compares whole positions instead.

Empty values are placed where the database places them in the list's own order (after the
others on PostgreSQL, before them on SQLite, unless the ordering says), so that keyset pages
give the records in the order page-number pages give them.
"""

import base64
import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import F, OrderBy, Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination

# The name each term's value is read under, from the rows of a page.
ALIAS = "keyset_{}"


@dataclass(frozen=True)
class Term:
    """One term of a keyset order: a field (maybe across foreign keys) read up or down."""

    path: str
    descending: bool
    # Whether an empty value comes after every other value going up (and before them going
    # down); False: before them going up.
    nulls_largest: bool
    nullable: bool
    # Reads a cursor's value back as the field's (a date from its text, say).
    to_python: object

    def descends(self, reverse):
        return self.descending != reverse

    def order(self, reverse):
        expression, descending = F(self.path), self.descends(reverse)
        if not self.nullable:
            return expression.desc() if descending else expression.asc()
        if self.nulls_largest != descending:
            return (
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        return expression.desc(nulls_first=True) if descending else expression.asc(nulls_first=True)

    def after(self, value, reverse):
        """The records placed after `value` by this term alone."""
        descending = self.descends(reverse)
        nulls_after = self.nulls_largest != descending
        if value is None:
            return Q(**{f"{self.path}__isnull": False}) if not nulls_after else Q(pk__in=[])
        condition = Q(**{f"{self.path}__{'lt' if descending else 'gt'}": value})
        if self.nullable and nulls_after:
            condition |= Q(**{f"{self.path}__isnull": True})
        return condition

    def equal(self, value):
        if value is None:
            return Q(**{f"{self.path}__isnull": True})
        return Q(**{self.path: value})

    def from_here(self, value, reverse):
        """A condition the records after `value` meet, which an index on the term reads as a
        range: where the scan starts. None where empty values would escape it."""
        if self.nullable or value is None:
            return None
        return Q(**{f"{self.path}__{'lte' if self.descends(reverse) else 'gte'}": value})


def after_position(terms, values, reverse):
    """The records placed after the position `values` in the order of `terms` (reversed if
    `reverse`): after it by the first term, or equal by it and after it by the next, and so
    on; the last term is unique."""
    condition = None
    for term, value in reversed(list(zip(terms, values, strict=True))):
        after = term.after(value, reverse)
        condition = after if condition is None else after | (term.equal(value) & condition)
    start = terms[0].from_here(values[0], reverse)
    return condition if start is None else start & condition


class Unsupported(Exception):
    """An ordering term keyset pages cannot follow."""


def term_for(queryset, term):
    """The Term of an order_by() term of `queryset`: "-name", "session__date", or F("x")
    with its direction and place of empty values; Unsupported for anything else (a random
    order, an expression, a relation's own ordering, a field of many related records)."""
    natural = connections[queryset.db].features.nulls_order_largest
    if isinstance(term, OrderBy) and isinstance(term.expression, F):
        path, descending = term.expression.name, term.descending
        nulls_largest = natural
        if term.nulls_first or term.nulls_last:
            nulls_largest = bool(term.nulls_first) == descending
    elif isinstance(term, str) and term and term != "?":
        path, descending, nulls_largest = term.lstrip("-"), term.startswith("-"), natural
    else:
        raise Unsupported(str(term))
    field, nullable, unique = resolve(queryset, path)
    return Term(path, descending, nulls_largest, nullable, field.to_python), unique


def resolve(queryset, path):
    """The field a path names, whether it may be empty, and whether it is unique among the
    queryset's rows."""
    annotation = queryset.query.annotations.get(path)
    if annotation is not None:
        # An annotation may be empty for all one knows: compared as if it may.
        return annotation.output_field, True, False
    opts, nullable, parts = queryset.model._meta, False, path.split("__")
    for index, part in enumerate(parts):
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist as error:
            raise Unsupported(path) from error
        if index == len(parts) - 1:
            # A foreign key by its name orders by the related model's ordering: only its id
            # column (`network_id`) is a value.
            if field.is_relation and part != field.attname:
                raise Unsupported(path)
            unique = index == 0 and (field.primary_key or field.unique) and not field.null
            return field, nullable or field.null, unique
        if not (field.is_relation and (field.many_to_one or field.one_to_one) and field.concrete):
            raise Unsupported(path)
        nullable = nullable or field.null
        opts = field.related_model._meta
    raise Unsupported(path)


def keyset_terms(queryset, ordering):
    """The Terms of `ordering` up to its first unique one, with the id after them if none
    is: a total order."""
    terms = []
    for term in ordering:
        term, unique = term_for(queryset, term)
        terms.append(term)
        if unique:
            return terms
    pk = queryset.model._meta.pk
    terms.append(Term("pk", False, False, False, pk.to_python))
    return terms


class KeysetPagination(CursorPagination):
    """DRF's cursors, links and page controls with whole positions (see the module's
    docstring). Used by directory.api.pagination.DirectoryPagination, which gives it the
    page size and adds the count."""

    ordering_param = "ordering"

    def __init__(self, page_size):
        self.page_size = page_size

    def get_page_size(self, request):
        return self.page_size

    def get_ordering(self, request, queryset, view):
        """The list's order as keyset Terms: the `ordering` asked for (as the view's ordering
        filter reads it), else the queryset's own."""
        ordering = None
        for backend in getattr(view, "filter_backends", []):
            if hasattr(backend, "get_ordering"):
                ordering = backend().get_ordering(request, queryset, view)
                break
        if not ordering:
            ordering = queryset.query.order_by or queryset.model._meta.ordering
        try:
            return keyset_terms(queryset, ordering)
        except Unsupported as error:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Keyset pages cannot follow the order by %(term)s: choose another.")
                        % {"term": error.args[0]}
                    ]
                }
            ) from error

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.terms = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        reverse = bool(self.cursor and self.cursor.reverse)
        position = self.cursor_values(self.cursor)
        aliases = {ALIAS.format(index): F(term.path) for index, term in enumerate(self.terms)}
        queryset = queryset.annotate(**aliases).order_by(
            *(term.order(reverse) for term in self.terms)
        )
        if position is not None:
            queryset = queryset.filter(after_position(self.terms, position, reverse))
        # One record more than the page: whether there is a page after it.
        results = list(queryset[: self.page_size + 1])
        more = len(results) > self.page_size
        self.page = results[: self.page_size]
        if reverse:
            self.page.reverse()
        self.has_next = (position is not None) if reverse else more
        self.has_previous = more if reverse else (position is not None)
        self.display_page_controls = self.has_next or self.has_previous
        return self.page

    def decode_cursor(self, request):
        # DRF reads past characters that base64 does not use, and answers a cursor it cannot
        # read with a 404: both are a malformed parameter, a 400 naming it.
        encoded = request.query_params.get(self.cursor_query_param)
        try:
            if encoded is not None:
                base64.b64decode(encoded, validate=True)
            return super().decode_cursor(request)
        except (NotFound, ValueError) as error:
            raise self.invalid_cursor() from error

    def invalid_cursor(self):
        return ValidationError(
            {
                self.cursor_query_param: [
                    _(
                        "Not a cursor of this list: follow the next and previous links as "
                        "they are given."
                    )
                ]
            }
        )

    def signature(self):
        """The order a cursor belongs to: a cursor of one ordering is refused by another."""
        return ",".join(("-" if term.descending else "") + term.path for term in self.terms)

    def cursor_values(self, cursor):
        """The position a cursor holds, as the fields' values; None for none (the start, or
        going back, the end)."""
        if cursor is None or cursor.position is None:
            if cursor is not None and cursor.offset:
                raise self.invalid_cursor()
            return None
        try:
            signature, *values = json.loads(cursor.position)
        except (TypeError, ValueError) as error:
            raise self.invalid_cursor() from error
        if cursor.offset or signature != self.signature() or len(values) != len(self.terms):
            raise self.invalid_cursor()
        read = []
        for term, value in zip(self.terms, values, strict=True):
            if value is None and not term.nullable:
                raise self.invalid_cursor()
            try:
                read.append(None if value is None else term.to_python(value))
            except (DjangoValidationError, TypeError, ValueError) as error:
                raise self.invalid_cursor() from error
        return read

    def position_of(self, item):
        aliases = [ALIAS.format(index) for index in range(len(self.terms))]
        if isinstance(item, dict):
            values = [item[alias] for alias in aliases]
        else:
            values = [getattr(item, alias) for alias in aliases]
        return json.dumps([self.signature(), *values], default=str, separators=(",", ":"))

    def link(self, reverse, item):
        position = None if item is None else self.position_of(item)
        return self.encode_cursor(Cursor(offset=0, reverse=reverse, position=position))

    def get_next_link(self):
        if not self.has_next:
            return None
        # After an empty page going back (nothing before its position), the first page.
        return self.link(False, self.page[-1] if self.page else None)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        # Before an empty page (nothing after its position), the last page.
        return self.link(True, self.page[0] if self.page else None)
