import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from directory.library_internals import FilterSetBuiltOnce
from directory.models import City, FieldOfWork, Organization, Person, Position, Source
from events.models import Event, Talk
from networks.models import Membership, Network


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(django_filters.NumberFilter):
    """Records whose date falls in a year; a year outside 1-9999 is a 400, not a crash."""

    field_class = forms.IntegerField

    def __init__(self, field_name, **kwargs):
        super().__init__(
            field_name=field_name, lookup_expr="year", min_value=1, max_value=9999, **kwargs
        )


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
    # Conditions on memberships apply together to one membership, so that
    # network=un-ecosoc-consultative-status&member_since_after=2010-01-01 finds organizations
    # that joined that network since 2010, not ones that joined it earlier and another since.
    MEMBERSHIP_CONDITIONS = {
        "network": "network",
        "membership_role": "role",
        "consultative_level": "level",
        "member_since_after": "started_after",
        "member_since_before": "started_before",
    }

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
    network = slug_filter(
        Network.objects.all(), method="filter_by_membership", label=_("Member of network (slug)")
    )
    membership_role = django_filters.ChoiceFilter(
        choices=Membership.Role.choices, method="filter_by_membership", label=_("Role in a network")
    )
    consultative_level = django_filters.ChoiceFilter(
        choices=Membership.Level.choices,
        method="filter_by_membership",
        label=_("UN consultative status"),
    )
    member_since_after = django_filters.DateFilter(
        method="filter_by_membership", label=_("Membership started on or after")
    )
    member_since_before = django_filters.DateFilter(
        method="filter_by_membership", label=_("Membership started on or before")
    )

    class Meta:
        model = Organization
        fields = ["kind", "country"]

    def filter_by_membership(self, queryset, name, value):
        return queryset  # applied all together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        conditions = {
            argument: self.form.cleaned_data.get(name)
            for name, argument in self.MEMBERSHIP_CONDITIONS.items()
        }
        if any(value not in (None, "") for value in conditions.values()):
            members = Membership.objects.matching(**conditions).values("organization")
            queryset = queryset.filter(pk__in=members)
        return queryset


class PersonFilterSet(SearchFilterSet):
    organization = slug_filter(
        Organization.objects.all(),
        method="filter_by_organization",
        label=_("Holds or held a position in (slug)"),
    )
    event = slug_filter(
        Event.objects.all(), method="filter_by_event", label=_("Spoke at event (slug)")
    )

    class Meta:
        model = Person
        fields = []

    def filter_by_organization(self, queryset, name, organization):
        return queryset.filter(
            pk__in=Position.objects.filter(organization=organization).values("person")
        )

    def filter_by_event(self, queryset, name, event):
        return queryset.filter(pk__in=Talk.objects.filter(session__event=event).values("speaker"))


class PositionFilterSet(SearchFilterSet):
    person = slug_filter(Person.objects.all(), "person")
    organization = slug_filter(Organization.objects.all(), "organization")
    current = StrictBooleanFilter(
        field_name="end_date", lookup_expr="isnull", label=_("Still held (no end date)")
    )

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
