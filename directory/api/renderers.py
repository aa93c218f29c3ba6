import csv
import io
import json

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer

from directory.cells import inert

# The line and paragraph separators, which JavaScript (before ES2019) reads as line ends:
# DRF writes them escaped, and so does FastJSONRenderer.
SEPARATORS_IN_UTF8 = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class FastJSONRenderer(JSONRenderer):
    """DRF's compact JSON, written by orjson: the same bytes in much less time than through
    json.dumps, and able to take parts written earlier as orjson.Fragment
    (directory.api.row_cache). Indented JSON (`application/json; indent=4`) and what orjson
    cannot write (integers beyond 64 bits) are left to DRF's encoder."""

    OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if not self.writes_compactly(accepted_media_type, renderer_context):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            # DRF's encoder writes what orjson leaves to it: dates and times as DRF writes
            # them, lazy translations, decimals, querysets.
            written = orjson.dumps(data, default=self.encoder_class().default, option=self.OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        for raw, escaped in SEPARATORS_IN_UTF8:
            if raw in written:
                written = written.replace(raw, escaped)
        return written

    def writes_compactly(self, accepted_media_type, renderer_context):
        """Whether this answer is written by orjson: compact, unindented JSON."""
        return (
            self.compact
            and not self.ensure_ascii
            and self.get_indent(accepted_media_type, renderer_context or {}) is None
        )


# What qualifies a related record in a CSV cell: a membership's role and level, a
# position's title.
QUALIFIERS = ("role", "level", "title_en", "title_zh")
# The keys that name a related record, in the order they are tried.
NAMING_KEYS = ("slug", "name", "name_en", "name_zh", "title", "title_en", "title_zh", "id")


def csv_cell(value) -> str:
    """One CSV cell, for a list's page and its whole export alike: a related record by its
    slug (or name); a link between records (a membership, a position: a record without a
    slug of its own) by the slug of the record it leads to, with its role or level, as
    "ecosoc (consultative, special)"; lists joined by semicolons; text that a spreadsheet
    would read as a formula made inert (directory.cells)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return inert("; ".join(csv_cell(item) for item in value))
    if isinstance(value, dict):
        return inert(related_name(value))
    return inert(value) if isinstance(value, str) else str(value)


def related_name(value: dict) -> str:
    if value.get("slug") in (None, ""):
        related = [
            item["slug"]
            for item in value.values()
            if isinstance(item, dict) and isinstance(item.get("slug"), str) and item["slug"]
        ]
        if related:
            qualifiers = [str(value[key]) for key in QUALIFIERS if value.get(key)]
            named = ", ".join(related)
            return f"{named} ({', '.join(qualifiers)})" if qualifiers else named
        if isinstance(value.get("source"), str):  # a citation: the source it cites
            return value["source"]
    for key in NAMING_KEYS:
        if value.get(key) not in (None, ""):
            return str(value[key])
    return json.dumps(value, ensure_ascii=False)


class CSVRenderer(BaseRenderer):
    """A page of a list (or one record) as CSV: UTF-8 without a byte-order mark, one row
    per record, written as the whole export writes its rows. What the page's JSON says
    beside its records goes in headers: the count in X-Total-Count, the next and previous
    pages in Link (RFC 8288)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:  # an answer without a body (a deletion's 204)
            return b""
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
            self.page_headers(data, (renderer_context or {}).get("response"))
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        header = list(rows[0]) if rows else self.serializer_fields(renderer_context)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_cell(row.get(column)) for column in header])
        return out.getvalue().encode(self.charset)

    @staticmethod
    def page_headers(page, response):
        if response is None:
            return
        if page.get("count") is not None:
            response["X-Total-Count"] = str(page["count"])
        links = [
            f'<{page[key]}>; rel="{rel}"'
            for key, rel in (("next", "next"), ("previous", "prev"))
            if page.get(key)
        ]
        if links:
            response["Link"] = ", ".join(links)

    @staticmethod
    def serializer_fields(renderer_context):
        view = (renderer_context or {}).get("view")
        if view is None or not hasattr(view, "get_serializer"):
            return []
        return list(view.get_serializer().fields)


class CSVExportRenderer(CSVRenderer):
    """An export's CSV (directory.api.exports, which streams it itself): what negotiation
    picks for `export.csv`, and what the schema names."""

    streamed_type = "text/csv; charset=utf-8"


class JSONLinesRenderer(BaseRenderer):
    """An export's JSON Lines, one record per line (directory.api.exports streams it)."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = None
    streamed_type = "application/x-ndjson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows = data if isinstance(data, list) else [data]
        return b"".join(orjson.dumps(row, default=str) + b"\n" for row in rows)
