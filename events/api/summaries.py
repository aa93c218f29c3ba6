"""How events and their sessions look when embedded in other records."""

from directory.api.common import DirectorySerializer, LinkField, summary_serializer
from events.models import Event, Session

EventSummarySerializer = summary_serializer(
    Event, "event-detail", fields=("slug", "name_zh", "name_en", "start_date", "start_precision")
)


class SessionSummarySerializer(DirectorySerializer):
    """A session as a talk names it: enough to place the talk in its event's agenda without
    a second request."""

    url = LinkField(view_name="session-detail")

    class Meta:
        model = Session
        fields = ["id", "url", "order", "kind", "title_zh", "title_en", "start_time", "end_time"]
