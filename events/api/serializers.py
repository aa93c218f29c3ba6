from directory.api.common import (
    PERIOD_FIELDS,
    DirectorySerializer,
    LinkedSlugField,
    LinkField,
    ModelValidatedSerializer,
)
from directory.api.summaries import (
    CitySummarySerializer,
    OrganizationSummarySerializer,
    PersonSummarySerializer,
    sources_field,
)
from directory.models import City, Organization, Person
from events.api.summaries import EventSummarySerializer, SessionSummarySerializer
from events.models import Event, Participation, Session, Talk
from networks.api.summaries import ProgramSummarySerializer

TALK_FIELDS = [
    "order",
    "role",
    "speaker_title_zh",
    "speaker_title_en",
    "title_zh",
    "title_en",
    "remote",
]


class TalkSerializer(ModelValidatedSerializer):
    url = LinkField(view_name="talk-detail")
    event = EventSummarySerializer(source="session.event", read_only=True)
    # Read as the session's summary, written as its id.
    session = LinkedSlugField(
        SessionSummarySerializer, queryset=Session.objects.all(), slug_field="pk"
    )
    speaker = LinkedSlugField(PersonSummarySerializer, queryset=Person.objects.all())
    speaker_organization = LinkedSlugField(
        OrganizationSummarySerializer,
        queryset=Organization.objects.all(),
        allow_null=True,
        required=False,
    )
    sources = sources_field()

    class Meta:
        model = Talk
        fields = [
            "id",
            "url",
            "event",
            "session",
            "speaker",
            "speaker_organization",
            *TALK_FIELDS,
            "citations",
            "sources",
        ]


class TalkInSessionSerializer(DirectorySerializer):
    """A talk as listed in its session's agenda."""

    speaker = PersonSummarySerializer()
    speaker_organization = OrganizationSummarySerializer(allow_null=True)

    class Meta:
        model = Talk
        fields = ["id", "speaker", "speaker_organization", *TALK_FIELDS]


class TalkOfSpeakerSerializer(DirectorySerializer):
    """A talk as listed on its speaker or the organization the speaker spoke for."""

    event = EventSummarySerializer(source="session.event")
    speaker = PersonSummarySerializer()
    speaker_organization = OrganizationSummarySerializer(allow_null=True)

    class Meta:
        model = Talk
        fields = ["id", "event", "speaker", "speaker_organization", *TALK_FIELDS]


class SessionSerializer(ModelValidatedSerializer):
    url = LinkField(view_name="session-detail")
    event = LinkedSlugField(EventSummarySerializer, queryset=Event.objects.all())
    talks = TalkInSessionSerializer(many=True, read_only=True)
    sources = sources_field()

    class Meta:
        model = Session
        fields = [
            "id",
            "url",
            "event",
            "order",
            "kind",
            "title_zh",
            "title_en",
            "start_time",
            "end_time",
            "talks",
            "citations",
            "sources",
        ]


class SessionInEventSerializer(DirectorySerializer):
    talks = TalkInSessionSerializer(many=True)

    class Meta:
        model = Session
        fields = ["id", "order", "kind", "title_zh", "title_en", "start_time", "end_time", "talks"]


class ParticipationSerializer(ModelValidatedSerializer):
    """An organization's part in an event."""

    url = LinkField(view_name="participation-detail")
    event = LinkedSlugField(EventSummarySerializer, queryset=Event.objects.all())
    organization = LinkedSlugField(
        OrganizationSummarySerializer, queryset=Organization.objects.all()
    )
    sources = sources_field()

    class Meta:
        model = Participation
        fields = ["id", "url", "event", "organization", "role", "citations", "sources"]


class ParticipantSerializer(DirectorySerializer):
    """An organization's part as listed on its event."""

    organization = OrganizationSummarySerializer()

    class Meta:
        model = Participation
        fields = ["organization", "role", "citations"]


class ParticipationOfOrganizationSerializer(DirectorySerializer):
    """An event as listed on an organization that took part."""

    event = EventSummarySerializer()

    class Meta:
        model = Participation
        fields = ["event", "role", "citations"]


class EventSerializer(ModelValidatedSerializer):
    url = LinkField(view_name="event-detail", lookup_field="slug")
    city = LinkedSlugField(
        CitySummarySerializer, queryset=City.objects.all(), allow_null=True, required=False
    )
    sources = sources_field()

    class Meta:
        model = Event
        fields = [
            "url",
            "slug",
            "name_zh",
            "name_en",
            "kind",
            "attendance_mode",
            *PERIOD_FIELDS,
            "start_time",
            "end_time",
            "venue_zh",
            "venue_en",
            "city",
            "country",
            "description_zh",
            "description_en",
            "citations",
            "sources",
        ]


class EventDetailSerializer(EventSerializer):
    participations = ParticipantSerializer(many=True, read_only=True)
    sessions = SessionInEventSerializer(many=True, read_only=True)
    launched_programs = ProgramSummarySerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "participations", "sessions", "launched_programs"]
