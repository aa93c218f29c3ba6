from directory.api.common import DirectoryViewSet
from directory.api.exports import Exported
from events.api.serializers import (
    EventDetailSerializer,
    EventSerializer,
    ParticipationSerializer,
    SessionSerializer,
    TalkSerializer,
)
from events.filters import (
    EventFilterSet,
    ParticipationFilterSet,
    SessionFilterSet,
    TalkFilterSet,
)
from events.models import Event, Participation, Session, Talk


class EventViewSet(Exported, DirectoryViewSet):
    """Events; the detail shows the agenda, sessions and talks in order."""

    queryset = Event.objects.all()
    serializer_class = EventSerializer
    detail_serializer_class = EventDetailSerializer
    filterset_class = EventFilterSet
    ordering_fields = ["start_date", "slug", "name_zh", "name_en", "sort_key_zh", "sort_key_en"]


class SessionViewSet(Exported, DirectoryViewSet):
    """The parts of an event's agenda, each with its talks."""

    lookup_field = "pk"
    queryset = Session.objects.all()
    serializer_class = SessionSerializer
    filterset_class = SessionFilterSet
    ordering_fields = ["order"]


class TalkViewSet(Exported, DirectoryViewSet):
    """Who spoke, moderated or sat on a panel, for which organization, on what."""

    lookup_field = "pk"
    queryset = Talk.objects.all()
    serializer_class = TalkSerializer
    filterset_class = TalkFilterSet
    ordering_fields = ["order"]


class ParticipationViewSet(Exported, DirectoryViewSet):
    """Which organizations organized, supported or took part in which events."""

    lookup_field = "pk"
    queryset = Participation.objects.all()
    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilterSet
    ordering_fields = ["role"]
