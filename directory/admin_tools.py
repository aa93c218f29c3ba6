"""Admin pieces every app of the directory uses."""

import hashlib

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from directory.admin_citations import CitationRowsField
from directory.models.base import (
    Citations,
    Cited,
    DatePrecision,
    format_partial_date,
    meets_condition,
    parse_partial_date,
)
from directory.uploads import UploadRefused, read_spreadsheet

# A date and the field beside it saying to what it is known (a year, a month or a day).
PARTIAL_DATES = {
    "founded_on": "founded_precision",
    "start_date": "start_precision",
    "end_date": "end_precision",
}


class PartialDateField(forms.CharField):
    """A date typed as people write it: 2010, 2010-07 or 2010-07-09. Cleans to the date (the
    first day of the year or month) and its precision."""

    default_error_messages = {
        "invalid": _("Write the date as 2010, 2010-07 or 2010-07-09."),
    }

    def __init__(self, **kwargs):
        super().__init__(max_length=10, **kwargs)
        self.widget.attrs.update(size=10)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_partial_date(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class PartialDatesForm(forms.ModelForm):
    """Each date kept with its precision is one box, typed as 2010, 2010-07 or 2010-07-09:
    the precision follows what is typed (its own field stays in the form, hidden)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partial_dates = {
            date: precision
            for date, precision in PARTIAL_DATES.items()
            if date in self.fields and precision in self.fields
        }
        for date, precision in self.partial_dates.items():
            model_field = self.fields[date]
            self.fields[date] = PartialDateField(
                label=model_field.label,
                required=model_field.required,
                help_text=model_field.help_text
                or _("2010, 2010-07 or 2010-07-09: as precisely as the source says."),
            )
            self.fields[precision].widget = forms.HiddenInput()
            self.fields[precision].required = False
            self.initial[date] = format_partial_date(
                getattr(self.instance, date), getattr(self.instance, precision)
            )

    def clean(self):
        cleaned_data = super().clean()
        for date, precision in self.partial_dates.items():
            if date in cleaned_data:
                value, known_to = cleaned_data[date] or (None, DatePrecision.DAY)
                cleaned_data[date], cleaned_data[precision] = value, known_to
        return cleaned_data


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
            key = tuple(
                getattr(instance, instance._meta.get_field(name).attname)
                for name in constraint.fields
            )
            if key in seen:
                raise ValidationError(constraint.violation_error_message)
            seen.add(key)


class CitedInlineMixin:
    """Inline rows cite their sources like every other record; a row whose sources are left
    empty cites those of the record it is part of (HistoryAdmin.save_formset), as a row
    entered with its record usually rests on the same publication."""

    form = PartialDatesForm
    formset = UniqueRowsInlineFormSet
    extra = 0

    def get_autocomplete_fields(self, request):
        return [*super().get_autocomplete_fields(request), "sources"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sources":
            kwargs.update(
                required=False,
                help_text=_("Left empty: the sources of the record above."),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def record_version(record):
    """A digest of what a record holds (its fields and many-to-many links): it differs once
    anyone has changed the record."""
    values = {
        field.attname: field.value_from_object(record) for field in record._meta.concrete_fields
    }
    for field in record._meta.many_to_many:
        values[field.name] = sorted(getattr(record, field.name).values_list("pk", flat=True))
    return hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:32]


VERSION_FIELD = "_record_version"


class HistoryAdmin(SimpleHistoryAdmin):
    """Every change page links to the record's history: who changed what and when, through
    the admin, the API or an import, with a way to revert to an earlier version.

    A change page carries the version of the record it shows (templates/admin/
    change_form.html); saving it is refused, with a message, if the record has changed
    since the page was opened (by another editor, the API or an import), rather than saving
    the page's older values over that change. The record is locked while it is compared
    and saved (the admin saves in a transaction).

    A record that cites its sources (Citations) has its citations edited as rows, one
    citation a row (directory.admin_citations), rather than as JSON."""

    form = PartialDatesForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "citations" and issubclass(self.model, Citations):
            return CitationRowsField(
                model=self.model,
                label=capfirst(db_field.verbose_name),
                help_text=_(
                    "One citation a row: the fact cited, the source that states it, where in "
                    "the source (¶13, p. 4) and the passage quoted. To remove a citation, "
                    "empty its source. Empty rows follow the citations; once they are "
                    "filled, save to get more."
                ),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["record_version"] = record_version(obj)
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if not isinstance(getattr(formset, "instance", None), Cited):
            return
        for row in formset.forms:
            cited = row.instance
            if cited.pk and isinstance(cited, Cited) and not row.cleaned_data.get("DELETE"):
                if "sources" in row.fields and not row.cleaned_data.get("sources"):
                    cited.sources.set(formset.instance.sources.all())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form

        class UnchangedSinceOpened(form):
            def clean(self):
                cleaned_data = super().clean()
                opened = self.data.get(VERSION_FIELD)
                if opened:
                    refuse_if_changed_since(self.instance, opened)
                return cleaned_data

        return UnchangedSinceOpened


def refuse_if_changed_since(record, opened):
    model = type(record)
    current = model._default_manager.select_for_update().filter(pk=record.pk).first()
    if current is None:
        raise ValidationError(_("This record was deleted after this page was opened."))
    if record_version(current) != opened:
        raise ValidationError(
            _(
                "This record was changed after this page was opened (by another editor, the "
                "API or an import). Nothing was saved: open it again and make your change "
                "to what it is now."
            )
        )


class BoundedImportForm(ImportForm):
    """The import form, refusing with the reason a file out of bounds or not a spreadsheet
    (directory.uploads) before anything reads it."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            read_spreadsheet(upload, settings.SPREADSHEET_IMPORT_MAX_ROWS)
        except UploadRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        finally:
            upload.seek(0)
        return upload


class SpreadsheetMixin(ImportExportMixin):
    """Import and Export buttons on the list page: CSV or XLSX files of the resource_classes
    (see directory.resources), previewed before anything is written.

    Put it before the admin's base class. The History link stays on each change page: this
    mixin changes only the list page's template, which simple_history leaves alone.
    """

    # With a byte-order mark, Excel reads the Chinese names of a CSV file as UTF-8.
    to_encoding = "utf-8-sig"
    import_form_class = BoundedImportForm

    def has_import_permission(self, request):
        # An import both adds and changes records.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def process_result(self, result, request):
        """The confirmed import runs the file again. If a row fails now (the data changed
        since the preview), nothing was written: say so rather than report success."""
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        messages.error(
            request,
            _(
                "Nothing was imported: the file no longer passes the checks "
                "its preview passed. Import it again to see why."
            ),
        )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_changelist",
                current_app=self.admin_site.name,
            )
        )


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


# The box an editor ticks to save a record that resembles another (templates/admin/
# change_form.html).
NOT_A_DUPLICATE_FIELD = "_not_a_duplicate"


class DirectorySearchAdmin(HistoryAdmin):
    """The admin's search box finds records as the site does: names, other names, pinyin
    and initials, in any case and width.

    Saving a record whose name is, folded, that of another record (its main, other or former
    name) or resembles it is stopped once with the other records linked: the editor checks
    them, and saves anyway only by ticking that it is a different one."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class WarnedOfLikelyDuplicates(form):
            likely_duplicates = ()

            def clean(self):
                cleaned_data = super().clean()
                names_changed = {"name_zh", "name_en"} & set(self.changed_data)
                if self.data.get(NOT_A_DUPLICATE_FIELD) or not names_changed:
                    # A record saved again under the names it had was checked then.
                    return cleaned_data
                names = [cleaned_data.get(name) for name in ("name_zh", "name_en")]
                model = self._meta.model
                self.likely_duplicates = model._default_manager.exclude(
                    pk=self.instance.pk
                ).likely_duplicates(names)
                if self.likely_duplicates:
                    raise ValidationError(
                        _(
                            "This name is, or resembles, that of a record already in the "
                            "directory (listed above). If it is the same, edit that record "
                            "instead; if not, tick the box to save this one."
                        )
                    )
                return cleaned_data

        return WarnedOfLikelyDuplicates

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(
            pk__in=queryset.model.objects.search(search_term).values("pk")
        ), False
