from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from directory.pages import BY_NAME, MOST_CONNECTED, NEWEST, filtered_list
from events.filters import EventFilterSet
from events.jsonld import event_jsonld
from events.models import Event

EVENTS_PER_PAGE = 50


@require_safe
def event_list(request):
    """Events as a timeline, newest first, grouped by year: what a reader of events looks
    for first is what happened lately. Name order and the most connected are a link away."""
    return filtered_list(
        request,
        EventFilterSet,
        "events/event_list.html",
        per_page=EVENTS_PER_PAGE,
        sorts=(NEWEST, BY_NAME, MOST_CONNECTED),
    )


@require_safe
def event_detail(request, slug):
    event = get_object_or_404(Event.objects.with_last_changed().for_detail(), slug=slug)
    participations = list(event.participations.all())
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "organizers": [p for p in participations if p.role in ("organizer", "co_organizer")],
            "participants": [
                p for p in participations if p.role not in ("organizer", "co_organizer")
            ],
            "moderators": [
                talk
                for session in event.sessions.all()
                for talk in session.talks.all()
                if talk.role == "moderator"
            ],
            "jsonld": event_jsonld(event, request),
        },
    )
