"""Whole exports of a list's filtered selection, as CSV or JSON Lines, streamed.

`/api/<list>/export.csv` and `/api/<list>/export.jsonl` take the list's own filters, search
and ordering (its filter set and filter backends) and give every record they select, in the
list's order, not one page. Each record is the list's record, written by the list's
serializer (directory.api.writers); CSV writes one row per record with a column per field.

The answer is streamed: the selection's ids are read through one cursor, and the records
are loaded a batch of ids at a time with the list's own queryset (for_listing(), its joins
and prefetches), so that memory stays flat and the number of queries grows with the number
of batches, not of records. Malformed filters are a 400 before anything is streamed.
"""

import csv
import functools
import itertools

import orjson
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from directory.api.common import Links, WithoutFormat
from directory.api.renderers import (
    SEPARATORS_IN_UTF8,
    CSVExportRenderer,
    FastJSONRenderer,
    JSONLinesRenderer,
    csv_cell,
)
from directory.api.writers import writer_for

# Records loaded per batch: their prefetches take as many ids, which every database takes
# as parameters of one statement.
EXPORT_BATCH = 500
# Text written before it is sent on: one chunk of the stream.
FLUSH_BYTES = 64 * 1024
# Excel reads a CSV file as UTF-8 only if it starts with a byte-order mark; without one,
# Chinese text shows as mojibake. Python's csv readers take it with encoding="utf-8-sig".
BOM = "\ufeff"


def export_schema(serializer_class):
    """The export operation in the OpenAPI schema: the list's filters and ordering (a list
    of records is what spectacular documents filters for), and a body of either type."""
    return extend_schema(
        summary="Export every record the filters select",
        description=(
            "Every record the list's filters, search and ordering select, in the list's "
            "order and without pages, streamed as a download: `export.csv` (UTF-8 with a "
            "byte-order mark, a header row, related records by slug) or `export.jsonl` (one "
            "record per line, as the list writes it). Malformed filters are a 400 in JSON."
        ),
        responses={
            # The records as a list (one per line): what spectacular takes for a list, whose
            # filters it then documents.
            (200, JSONLinesRenderer.media_type): serializer_class(many=True),
            (200, CSVExportRenderer.media_type): OpenApiTypes.STR,
        },
    )


class Exported:
    """A list viewset's `export` action: /api/<list>/export.csv and export.jsonl (the
    router's format suffixes), with the list's filters."""

    export_batch = EXPORT_BATCH

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Each viewset documents its own records: a subclass may write others.
        extend_schema_view(export=export_schema(cls.serializer_class))(cls)

    @action(
        detail=False,
        methods=["get"],
        renderer_classes=[CSVExportRenderer, JSONLinesRenderer],
        pagination_class=None,
    )
    def export(self, request, *args, **kwargs):
        # Filtered here, before the answer starts: malformed filters are a 400, not a
        # stream cut short. (No docstring: the schema says what the action does.)
        batches = self.exported_batches()
        # The first batch is read here too, so that a database out of reach is a 503.
        first = next(batches, [])
        records = self.exported_records(itertools.chain([first], batches))
        renderer = request.accepted_renderer
        chunks = self.exported_chunks(renderer.format, records)
        response = StreamingHttpResponse(chunks, content_type=renderer.streamed_type)
        filename = f"{self.basename}-export.{renderer.format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def exported_batches(self):
        """The ids the list's filters, search and ordering select, in lists of
        export_batch, read through one cursor."""
        queryset = self.filter_queryset(self.get_queryset())
        ids = queryset.prefetch_related(None).values_list("pk", flat=True)
        return Batches(ids.iterator(chunk_size=self.export_batch), self.export_batch)

    def exported_chunks(self, format, records):
        """The records written as the export's `format` ("csv" or "jsonl"), in bytes."""
        if format == "csv":
            return csv_chunks(self.exported_columns(), records)
        return jsonl_chunks(records)

    def exported_columns(self):
        return [
            name for name, field in self.serializer_class().fields.items() if not field.write_only
        ]

    def exported_records(self, batches):
        request = WithoutFormat(self.request)
        for ids in batches:
            # Links of its own for each batch: Links keeps every address it wrote, which
            # over a whole export would grow with the rows.
            yield from self.export_batch_records(ids, Links(request))

    def export_batch_records(self, ids, links):
        """The records of these ids, in their order, as the list writes them: loaded with
        the list's queryset (for_listing()), written by the list's serializer."""
        found = {record.pk: record for record in self.get_queryset().filter(pk__in=ids)}
        records = [found[pk] for pk in ids if pk in found]
        write = record_writer(self.serializer_class)
        if write is None:
            # A field that needs its serializer (a method field): the serializer writes.
            context = {**self.get_serializer_context(), "request": links.request, "format": None}
            return self.serializer_class(records, many=True, context=context).data
        return [write(record, links) for record in records]


@functools.cache
def record_writer(serializer_class):
    """The serializer's RecordWriter (directory.api.writers), or None for a serializer with
    a field only the serializer itself writes; decided once per process."""
    try:
        return writer_for(serializer_class)
    except TypeError:
        return None


class Batches:
    """The ids from an iterator, in lists of `size`."""

    def __init__(self, ids, size):
        self.ids, self.size = ids, size

    def __iter__(self):
        return self

    def __next__(self):
        batch = list(itertools.islice(self.ids, self.size))
        if not batch:
            raise StopIteration
        return batch


class Lines:
    """A file-like sink for csv.writer that hands back what was written."""

    def __init__(self):
        self.parts, self.size = [], 0

    def write(self, text):
        self.parts.append(text)
        self.size += len(text)

    def take(self):
        text = "".join(self.parts)
        self.parts, self.size = [], 0
        return text.encode()


def csv_chunks(columns, records):
    lines = Lines()
    writer = csv.writer(lines)
    lines.write(BOM)
    writer.writerow(columns)
    for record in records:
        writer.writerow([csv_cell(record.get(column)) for column in columns])
        if lines.size >= FLUSH_BYTES:
            yield lines.take()
    yield lines.take()


def jsonl_chunks(records):
    written = bytearray()
    default = FastJSONRenderer.encoder_class().default
    for record in records:
        line = orjson.dumps(record, default=default, option=FastJSONRenderer.OPTIONS)
        for raw, escaped in SEPARATORS_IN_UTF8:
            if raw in line:
                line = line.replace(raw, escaped)
        written += line + b"\n"
        if len(written) >= FLUSH_BYTES:
            yield bytes(written)
            written.clear()
    yield bytes(written)
