import django_filters
from django.utils.translation import gettext_lazy as _

from directory.filters import (
    COUNTRY_CHOICES,
    FilterSetBuiltOnce,
    HeldInYear,
    SearchFilterSet,
    StrictBooleanFilter,
    YearFilter,
    date_range,
    held_in_year_filter,
    organization_country_filter,
    slug_filter,
)
from directory.models import Organization
from events.models import Event
from networks.models import (
    CommitteeSession,
    Decision,
    Membership,
    Network,
    Program,
    ProgramRole,
    Vote,
    VoteCast,
)


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


class MembershipFilterSet(HeldInYear, SearchFilterSet):
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
    year = held_in_year_filter()
    country = organization_country_filter()

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
        choices=COUNTRY_CHOICES,
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


class CommitteeSessionFilterSet(FilterSetBuiltOnce):
    year = YearFilter("date", label=_("Year"))

    class Meta:
        model = CommitteeSession
        fields = []


class DecisionFilterSet(SearchFilterSet):
    session = django_filters.DateFilter(
        field_name="session__date", label=_("Session (date of its report)")
    )
    year = YearFilter("session__date", label=_("Year of the session"))
    organization = slug_filter(Organization.objects.all(), "organization")
    country = organization_country_filter()

    class Meta:
        model = Decision
        fields = ["kind"]


class VoteFilterSet(SearchFilterSet):
    session = django_filters.DateFilter(
        field_name="session__date", label=_("Session (date of its report)")
    )
    year = YearFilter("session__date", label=_("Year of the session"))
    organization = slug_filter(Organization.objects.all(), "organization")
    member_state = django_filters.ChoiceFilter(
        choices=COUNTRY_CHOICES,
        method="filter_by_member_state",
        label=_("A member state voted (ISO code); with choice, voted so"),
    )
    choice = django_filters.ChoiceFilter(
        choices=VoteCast.Choice.choices,
        method="filter_by_member_state",
        label=_("A member state (member_state, or any) voted so"),
    )

    class Meta:
        model = Vote
        fields = ["outcome"]

    def filter_by_member_state(self, queryset, name, value: str):
        # member_state and choice apply to one member state's vote: both filters answer
        # together, once, from the cleaned data.
        if getattr(self, "_casts_filtered", False):
            return queryset
        self._casts_filtered = True
        data = self.form.cleaned_data
        casts = {
            key: data[param]
            for key, param in (("country", "member_state"), ("choice", "choice"))
            if data.get(param)
        }
        return queryset.filter(pk__in=VoteCast.objects.filter(**casts).values("vote"))
