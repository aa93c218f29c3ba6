"""Admin pieces every app of the directory uses."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from directory.models.base import meets_condition


class UniqueRowsInlineFormSet(BaseInlineFormSet):
    """Refuse two rows that break one of the model's conditional unique constraints.

    Django's formsets compare rows against each other for unconditional unique constraints
    only. Without this, two new rows breaking a conditional one (such as "one undated
    membership per role") would each pass validation and then fail in the database.
    """

    def clean(self):
        super().clean()
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.condition is not None:
                self.check_rows_differ(constraint)

    def check_rows_differ(self, constraint):
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            instance = form.instance
            if not meets_condition(instance, constraint.condition):
                continue
            key = tuple(getattr(instance, instance._meta.get_field(name).attname)
                        for name in constraint.fields)
            if key in seen:
                raise ValidationError(constraint.violation_error_message)
            seen.add(key)


class CitedInlineMixin:
    """Inline rows cite their sources like every other record."""

    formset = UniqueRowsInlineFormSet
    extra = 0

    def get_autocomplete_fields(self, request):
        return [*super().get_autocomplete_fields(request), "sources"]


class HistoryAdmin(SimpleHistoryAdmin):
    """Every change page links to the record's history: who changed what and when, through
    the admin, the API or an import, with a way to revert to an earlier version."""


class RefuseDeleteWhileReferencedAdmin(HistoryAdmin):
    """Show records that still refer to the object as protected on the delete page."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            protected.extend(str(record) for record in obj.referencing_records())
        return deleted, counts, perms_needed, protected


class YearListFilter(admin.SimpleListFilter):
    """Filter by the year of start_date."""

    title = _("year")
    parameter_name = "year"
    date_field = "start_date"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates(self.date_field, "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.date_field}__year": int(self.value())})
        return queryset


class DirectorySearchAdmin(HistoryAdmin):
    """The admin's search box finds records as the site does: names, other names, pinyin
    and initials, in any case and width."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(pk__in=queryset.model.objects.search(search_term).values("pk")), \
            False
