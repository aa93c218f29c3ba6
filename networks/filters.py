import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from directory.filters import SearchFilterSet, StrictBooleanFilter, date_range, slug_filter
from directory.models import Organization
from events.models import Event
from networks.models import Membership, Network, Program, ProgramRole


class NetworkFilterSet(SearchFilterSet):
    secretariat = slug_filter(Organization.objects.all(), "secretariat")
    member = slug_filter(
        Organization.objects.all(),
        method="filter_by_member",
        label=_("Has this organization as a member (slug)"),
    )

    class Meta:
        model = Network
        fields = ["kind", "scope"]

    def filter_by_member(self, queryset, name, organization):
        return queryset.filter(
            pk__in=Membership.objects.filter(organization=organization).values("network")
        )


class MembershipFilterSet(SearchFilterSet):
    network = slug_filter(Network.objects.all(), "network")
    organization = slug_filter(Organization.objects.all(), "organization")
    start_after, start_before = date_range(
        "start_date", _("Started on or after"), _("Started on or before")
    )
    end_after, end_before = date_range("end_date", _("Ended on or after"), _("Ended on or before"))
    current = StrictBooleanFilter(
        field_name="end_date",
        lookup_expr="isnull",
        label=_("No end date recorded (not known to have ended)"),
    )

    class Meta:
        model = Membership
        fields = ["role", "level"]


class ProgramFilterSet(SearchFilterSet):
    network = slug_filter(Network.objects.all(), "network")
    parent = slug_filter(Program.objects.all(), "parent")
    launch_event = slug_filter(Event.objects.all(), "launch_event")
    organization = slug_filter(
        Organization.objects.all(),
        method="filter_by_organization",
        label=_("Has this organization in any role (slug)"),
    )
    country = django_filters.ChoiceFilter(
        field_name="countries",
        choices=list(countries),
        method="filter_by_country",
        label=_("Serves this country (ISO code)"),
    )
    started_after, started_before = date_range(
        "start_date", _("Started on or after"), _("Started on or before")
    )

    class Meta:
        model = Program
        fields = ["kind", "frequency"]

    def filter_by_organization(self, queryset, name, organization):
        return queryset.filter(
            pk__in=ProgramRole.objects.filter(organization=organization).values("program")
        )

    def filter_by_country(self, queryset, name, code):
        return queryset.serving(code)
