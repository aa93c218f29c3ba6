import csv
import io
import json

from rest_framework.renderers import BaseRenderer


def csv_cell(value) -> str:
    """One CSV cell: related records by slug (or name), lists joined by semicolons."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        for key in ("slug", "name", "name_en", "name_zh", "title", "id"):
            if value.get(key) not in (None, ""):
                return str(value[key])
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "; ".join(csv_cell(item) for item in value)
    return str(value)


class CSVRenderer(BaseRenderer):
    """A page of a list endpoint as CSV: UTF-8 without a byte-order mark, one row per item."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
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
    def serializer_fields(renderer_context):
        view = (renderer_context or {}).get("view")
        if view is None or not hasattr(view, "get_serializer"):
            return []
        return list(view.get_serializer().fields)
