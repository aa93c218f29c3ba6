"""How events look when embedded in other records."""

from directory.api.common import summary_serializer
from events.models import Event

EventSummarySerializer = summary_serializer(
    Event, "event-detail", fields=("slug", "name_zh", "name_en", "start_date", "start_precision")
)
