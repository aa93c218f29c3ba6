import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from directory.library_internals import FilterSetBuiltOnce
from directory.models import City, FieldOfWork, Organization, Person, Position, Source


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(django_filters.NumberFilter):
    """Records whose date falls in a year; a year outside 1-9999 is a 400, not a crash."""

    field_class = forms.IntegerField

    def __init__(self, field_name, **kwargs):
        super().__init__(
            field_name=field_name, lookup_expr="year", min_value=1, max_value=9999, **kwargs
        )


class CountryChoices:
    """Every country as (ISO code, name), named in the language active when iterated: a
    filter's form (built once per language) and the schema (in English) each name them in
    their own, not in the language of the import. Not callable, unlike
    django_countries.countries, so that the schema lists the codes."""

    def __iter__(self):
        return iter(countries)


COUNTRY_CHOICES = CountryChoices()


def held_in_year_filter():
    """A year during which the record held (PeriodQuerySet.held_in), for a filter set with
    a method `filter_held_in`."""
    return YearFilter(
        "start_date",
        method="filter_held_in",
        label=_("Held during this year (begun by its end, not ended before it)"),
    )


def organization_country_filter(field_name="organization__country"):
    return django_filters.ChoiceFilter(
        field_name=field_name,
        choices=COUNTRY_CHOICES,
        label=_("Country of the organization (ISO code)"),
    )


class HeldInYear:
    """The method held_in_year_filter() calls."""

    def filter_held_in(self, queryset, name, year: int):
        return queryset.held_in(year)


class SearchFilterSet(FilterSetBuiltOnce):
    """Every list has the same free-text filter, `search`, answered by the model's queryset."""

    search = django_filters.CharFilter(method="filter_search", label=_("Search names"))

    def filter_search(self, queryset, name, value):
        return queryset.search(value.strip()) if value.strip() else queryset


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(django_filters.ModelChoiceFilter):
    """A related record named by its slug; an unknown slug is a 400 with a message."""

    def __init__(self, queryset, field_name=None, **kwargs):
        super().__init__(queryset=queryset, to_field_name="slug", field_name=field_name, **kwargs)


slug_filter = SlugFilter


class StrictBooleanField(forms.Field):
    TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if str(value).lower() in self.TRUE:
            return True
        if str(value).lower() in self.FALSE:
            return False
        raise ValidationError(_("Use true or false."), code="invalid")


def date_range(field_name, since_label, until_label):
    """A date's two bounds as filters, each including its day: (on or after, on or before)."""
    return (
        django_filters.DateFilter(field_name=field_name, lookup_expr="gte", label=since_label),
        django_filters.DateFilter(field_name=field_name, lookup_expr="lte", label=until_label),
    )


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses anything but true or false instead of ignoring it."""

    field_class = StrictBooleanField


class OrganizationFilterSet(SearchFilterSet):
    field = slug_filter(FieldOfWork.objects.all(), "fields", label=_("Field of work (slug)"))
    city = slug_filter(City.objects.all(), "city", label=_("City (slug)"))
    parent = slug_filter(
        Organization.objects.all(), "parent", label=_("Parent organization (slug)")
    )
    successor = slug_filter(
        Organization.objects.all(), "successor", label=_("Merged into (slug of the successor)")
    )
    source = slug_filter(Source.objects.all(), "sources", label=_("Cited source (slug)"))
    founded_after, founded_before = date_range(
        "founded_on", _("Founded on or after"), _("Founded on or before")
    )

    class Meta:
        model = Organization
        fields = ["kind", "country"]


class PersonFilterSet(SearchFilterSet):
    organization = slug_filter(
        Organization.objects.all(),
        method="filter_by_organization",
        label=_("Holds or held a position in (slug)"),
    )

    class Meta:
        model = Person
        fields = []

    def filter_by_organization(self, queryset, name, organization):
        return queryset.filter(
            pk__in=Position.objects.filter(organization=organization).values("person")
        )


class PositionFilterSet(HeldInYear, SearchFilterSet):
    person = slug_filter(Person.objects.all(), "person")
    organization = slug_filter(Organization.objects.all(), "organization")
    current = StrictBooleanFilter(
        field_name="end_date",
        lookup_expr="isnull",
        label=_("No end date recorded (not known to have ended)"),
    )
    year = held_in_year_filter()
    country = organization_country_filter()

    class Meta:
        model = Position
        fields = []


class SourceFilterSet(SearchFilterSet):
    publisher = slug_filter(Organization.objects.all(), "publisher")
    published_after, published_before = date_range(
        "published_on", _("Published on or after"), _("Published on or before")
    )

    class Meta:
        model = Source
        fields = ["kind", "language"]
