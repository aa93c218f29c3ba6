from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class StrictOrderingFilter(OrderingFilter):
    """Refuse unknown ordering fields instead of ignoring them, and always break ties by id
    so that pages never overlap."""

    def get_ordering(self, request, queryset, view):
        requested = request.query_params.get(self.ordering_param)
        if requested:
            valid = {name for name, _label in self.get_valid_fields(queryset, view,
                                                                    {"request": request})}
            unknown = [term for term in requested.split(",")
                       if term.strip().lstrip("-") not in valid]
            if unknown:
                raise ValidationError({self.ordering_param: [
                    _("Cannot order by %(terms)s. Choose from: %(valid)s.")
                    % {"terms": ", ".join(unknown), "valid": ", ".join(sorted(valid))}
                ]})
        return super().get_ordering(request, queryset, view)

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering, "pk")
        return queryset
