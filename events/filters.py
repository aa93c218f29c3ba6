from django.utils.translation import gettext_lazy as _

from directory.filters import (
    SearchFilterSet,
    StrictBooleanFilter,
    YearFilter,
    date_range,
    organization_country_filter,
    slug_filter,
)
from directory.models import City, Organization, Person
from events.models import Event, Participation, Session, Talk


class EventFilterSet(SearchFilterSet):
    year = YearFilter("start_date")
    start_after, start_before = date_range(
        "start_date", _("Starts on or after"), _("Starts on or before")
    )
    city = slug_filter(City.objects.all(), "city")
    organizer = slug_filter(
        Organization.objects.all(), method="filter_by_organizer", label=_("Organized by (slug)")
    )
    participant = slug_filter(
        Organization.objects.all(),
        method="filter_by_participant",
        label=_("Organization took part in any role (slug)"),
    )

    class Meta:
        model = Event
        fields = ["kind", "attendance_mode", "country"]

    def filter_by_organizer(self, queryset, name, organization):
        organized = Participation.objects.filter(
            organization=organization, role__in=["organizer", "co_organizer"]
        )
        return queryset.filter(pk__in=organized.values("event"))

    def filter_by_participant(self, queryset, name, organization):
        return queryset.filter(
            pk__in=Participation.objects.filter(organization=organization).values("event")
        )


class SessionFilterSet(SearchFilterSet):
    event = slug_filter(Event.objects.all(), "event")
    year = YearFilter("event__start_date", label=_("Year the event began"))

    class Meta:
        model = Session
        fields = ["kind"]


class TalkFilterSet(SearchFilterSet):
    speaker = slug_filter(Person.objects.all(), "speaker")
    event = slug_filter(Event.objects.all(), "session__event")
    organization = slug_filter(
        Organization.objects.all(),
        "speaker_organization",
        label=_("Speaker's organization then (slug)"),
    )
    remote = StrictBooleanFilter(label=_("Spoke remotely"))
    year = YearFilter("session__event__start_date", label=_("Year the event began"))

    class Meta:
        model = Talk
        fields = ["role", "session"]


class ParticipationFilterSet(SearchFilterSet):
    event = slug_filter(Event.objects.all(), "event")
    organization = slug_filter(Organization.objects.all(), "organization")
    year = YearFilter("event__start_date", label=_("Year the event began"))
    country = organization_country_filter()

    class Meta:
        model = Participation
        fields = ["role"]
