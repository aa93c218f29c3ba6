from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from directory.list_counts import selection_counts


class DirectoryPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

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
        return parameters


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
