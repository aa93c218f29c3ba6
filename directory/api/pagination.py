from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from directory.api.keyset import KeysetPagination
from directory.list_counts import selection_counts

PAGE, KEYSET = "page", "keyset"


class DirectoryPagination(PageNumberPagination):
    """Numbered pages (`page`), or keyset pages (`pagination=keyset`, then the links'
    `cursor`: directory.api.keyset), which a long walk through a list reads without skipping
    ever more records and which records inserted meanwhile do not shift. Both answer with the
    same object: the selection's count, the links to the next and previous pages, and the
    page's records."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    pagination_query_param = "pagination"
    keyset = None

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = None
        if self.mode(request) == PAGE:
            return super().paginate_queryset(queryset, request, view)
        if self.page_query_param in request.query_params:
            raise ValidationError(
                {
                    self.page_query_param: [
                        _("Keyset pages are not numbered: follow their next and previous links.")
                    ]
                }
            )
        self.counted = queryset
        rows = queryset.rows if isinstance(queryset, CountedAs) else queryset
        self.keyset = KeysetPagination(self.get_page_size(request))
        page = self.keyset.paginate_queryset(rows, request, view)
        self.display_page_controls = self.keyset.display_page_controls
        return page

    def mode(self, request):
        """PAGE or KEYSET, as the request asks (a cursor alone asks for keyset pages)."""
        asked = request.query_params.get(self.pagination_query_param)
        cursor = KeysetPagination.cursor_query_param
        if asked is None:
            return KEYSET if cursor in request.query_params else PAGE
        if asked not in (PAGE, KEYSET):
            raise ValidationError({self.pagination_query_param: [_("Choose page or keyset.")]})
        if asked == PAGE and cursor in request.query_params:
            raise ValidationError(
                {cursor: [_("A cursor is for keyset pages: leave out pagination=page.")]}
            )
        return asked

    def get_paginated_response(self, data):
        if self.keyset is None:
            return super().get_paginated_response(data)
        return Response(
            {
                "count": self.counted.count(),
                "next": self.keyset.get_next_link(),
                "previous": self.keyset.get_previous_link(),
                "results": data,
            }
        )

    def get_html_context(self):
        if self.keyset is None:
            return super().get_html_context()
        return self.keyset.get_html_context()

    def to_html(self):
        if self.keyset is None:
            return super().to_html()
        return self.keyset.to_html()

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
        return [
            *parameters,
            {
                "name": self.pagination_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "`page` (the default): numbered pages. `keyset`: pages read on from "
                    "where the last one stopped, for walking a whole list; follow `next` "
                    "and `previous`, which carry a `cursor`. Records inserted or deleted "
                    "during the walk do not make it skip or repeat the others. Not with "
                    "`page`."
                ),
                "schema": {"type": "string", "enum": [PAGE, KEYSET], "default": PAGE},
            },
            {
                "name": KeysetPagination.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "A keyset page's place, as the `next` and `previous` links of keyset "
                    "pages give it (opaque: send it as it is, with the list's other "
                    "parameters unchanged). Implies `pagination=keyset`."
                ),
                "schema": {"type": "string"},
            },
        ]

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        properties = answer["properties"]
        properties["count"]["description"] = "The number of records the list selects."
        for link in ("next", "previous"):
            properties[link]["description"] = (
                f"The {link} page's address: with `page` for numbered pages, with `cursor` "
                "for keyset pages; null if there is none."
            )
        return answer


class CountedAs:
    """Rows to paginate, counted as `counted`, the queryset they come from: for a values()
    queryset that reads related records' columns, counting the rows themselves would count
    through their joins, which on SQLite is far slower than counting the table's rows alone.
    With `selection`, the filter set that selected `counted`, the count is cached under its
    filters (directory.list_counts)."""

    def __init__(self, rows, counted, selection=None):
        self.rows, self.counted, self.selection = rows, counted, selection

    @property
    def ordered(self):
        return self.rows.ordered

    def count(self):
        if self.selection is None:
            return self.counted.count()
        return selection_counts(self.selection, self.counted)["count"]

    def __getitem__(self, index):
        return self.rows[index]
