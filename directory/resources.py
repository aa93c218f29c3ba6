"""Spreadsheet rows (CSV, XLSX) for organizations and people, and the rules every directory
spreadsheet follows; the admin's Import and Export buttons use them (django-import-export).

A row names its record by the record's natural key (a slug; for a membership, the records and
role it joins and its start date) and every related record by its slug, never by a database
id, so a file exported from one database imports into another. A blank slug makes a new
record, whose slug the model generates. Each row passes the model's own validation and must
cite at least one source; a file imports whole or not at all.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.fields import Field

from directory.cells import inert
from directory.models import Organization, Person

# Slugs hold none of these, so editors may separate them as they like.
SLUG_SEPARATORS = re.compile(r"[\s,;]+")


def unknown_slugs_message(model, slugs):
    return _("No %(model)s has the slug %(slugs)s.") % {
        "model": model._meta.verbose_name,
        "slugs": ", ".join(f"“{slug}”" for slug in slugs),
    }


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record named by its slug; an unknown slug is an error of its row."""

    def __init__(self, model):
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        value = value.strip() if isinstance(value, str) else value
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(unknown_slugs_message(self.model, [value])) from None


class SlugsWidget(widgets.ManyToManyWidget):
    """Related records named by their slugs, separated by commas; `required` refuses none."""

    def __init__(self, model, required=False):
        super().__init__(model, separator=", ", field="slug")
        self.required = required

    def clean(self, value, row=None, **kwargs):
        slugs = [slug for slug in SLUG_SEPARATORS.split(str(value or "")) if slug]
        if not slugs and self.required:
            raise ValueError(
                _("Name at least one %(model)s by its slug (several separated by commas).")
                % {"model": self.model._meta.verbose_name}
            )
        records = list(self.model.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {record.slug for record in records})
        if missing:
            raise ValueError(unknown_slugs_message(self.model, missing))
        return records

    def render(self, value, obj=None, **kwargs):
        if value is None:  # a record not saved yet
            return ""
        # Sorted, so that two exports of the same records are the same file.
        return self.separator.join(sorted(record.slug for record in value.all()))


class DateWidget(widgets.DateWidget):
    """Dates as YYYY-MM-DD; spreadsheet programs hand date cells back as date-times."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        try:
            return super().clean(value.strip() if isinstance(value, str) else value, row)
        except ValueError:
            raise ValueError(_("Write dates as YYYY-MM-DD, for example 2010-07-01.")) from None


class DirectoryResource(resources.ModelResource):
    """What every directory spreadsheet shares: natural keys, slugs for relations, the
    models' validation on each row, and all-or-nothing imports recorded in the history."""

    # Empty cells of an XLSX file are None: text fields must read them as "".
    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "DateField": DateWidget,
        "TextField": widgets.CharWidget,
    }

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        if not django_field.is_relation:
            return super().field_from_django_field(field_name, django_field, readonly)
        model = django_field.related_model
        # A many-to-many relation that forms require (sources) must not be empty here either.
        widget = (
            SlugsWidget(model, required=not django_field.blank)
            if django_field.many_to_many
            else SlugWidget(model)
        )
        return Field(attribute=field_name, column_name=field_name, widget=widget, readonly=readonly)

    def get_import_id_fields(self):
        return self._meta.model.natural_key_fields

    def export_field(self, field, instance, **kwargs):
        # Text a spreadsheet would read as a formula is made inert, in every format.
        return inert(super().export_field(field, instance, **kwargs))

    def import_data(self, dataset, rollback_on_validation_errors=True, **kwargs):
        """A file with one bad row writes nothing, not even its good rows: the editor fixes
        the file and imports it again, instead of working out what got in."""
        return super().import_data(
            dataset, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs
        )

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError as error:
            # An unknown slug in the key: report which column as a row error, not a crash.
            key = [self.fields[name] for name in self.get_import_id_fields()]
            raise ValidationError(self.column_errors(key, row) or str(error)) from None

    def import_instance(self, instance, row, **kwargs):
        """Check the many-to-many columns along with the others (the library sets them only
        after saving), so that a missing or unknown source shows in the preview."""
        many = [
            field
            for field in self.get_import_fields()
            if isinstance(field.widget, SlugsWidget)
            and (field.column_name in row or field.widget.required)
        ]
        errors = self.column_errors(many, row)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def column_errors(columns, row):
        errors = {}
        for field in columns:
            try:
                field.widget.clean(row.get(field.column_name), row=row)
            except ValueError as error:
                errors[field.attribute] = [str(error)]
        return errors

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        user, file_name = kwargs.get("user"), kwargs.get("file_name")
        # The history names who imported the change and from which file, also when the
        # import runs outside a request (HistoryRequestMiddleware covers only requests).
        if user is not None:
            instance._history_user = user
        if file_name:
            instance._change_reason = Truncator(
                gettext("Imported from %(file)s") % {"file": file_name}
            ).chars(100)

    def filter_export(self, queryset, **kwargs):
        """Fetch the related records with the rows: a fixed number of queries for each chunk
        of rows the library pages through (100), instead of some for every row."""
        export = self.get_export_fields()
        return queryset.select_related(
            *(field.attribute for field in export if isinstance(field.widget, SlugWidget))
        ).prefetch_related(
            *(field.attribute for field in export if isinstance(field.widget, SlugsWidget))
        )


class OrganizationResource(DirectoryResource):
    class Meta:
        model = Organization
        fields = (
            "slug",
            "name_zh",
            "name_en",
            "pinyin",
            "kind",
            "country",
            "city",
            "parent",
            "fields",
            "founded_on",
            "founded_precision",
            "website",
            "description_zh",
            "description_en",
            "successor",
            "succeeded_on",
            "sources",
        )


class PersonResource(DirectoryResource):
    class Meta:
        model = Person
        fields = (
            "slug",
            "name_zh",
            "name_en",
            "pinyin",
            "description_zh",
            "description_en",
            "sources",
        )
