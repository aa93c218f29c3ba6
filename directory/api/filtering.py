from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class SelectionFilterBackend(DjangoFilterBackend):
    """django-filter's backend, leaving the filter set it filters with on the view as
    `selection`: a list counts what it selects under its filters (directory.list_counts)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        view.selection = filterset
        return filterset


class StrictOrderingFilter(OrderingFilter):
    """Refuse unknown ordering fields instead of ignoring them, and always break ties by id
    so that pages never overlap."""

    def get_ordering(self, request, queryset, view):
        requested = request.query_params.get(self.ordering_param)
        if requested:
            valid = {
                name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
            }
            unknown = [
                term for term in requested.split(",") if term.strip().lstrip("-") not in valid
            ]
            if unknown:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("Cannot order by %(terms)s. Choose from: %(valid)s.")
                            % {"terms": ", ".join(unknown), "valid": ", ".join(sorted(valid))}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering, "pk")
        return queryset
