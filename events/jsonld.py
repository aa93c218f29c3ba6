"""schema.org description of an event, for search engines (JSON-LD)."""

from directory.jsonld import cited

ATTENDANCE_MODES = {
    "in_person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}


def event_jsonld(event, request):
    place = {"@type": "Place", "name": event.venue or (event.city.name if event.city else "")}
    if event.city or event.country:
        place["address"] = {
            "@type": "PostalAddress",
            "addressLocality": event.city.name if event.city else None,
            "addressCountry": event.country.code or None,
        }
    start = event.start
    if event.start_time and event.start_precision == "day":
        start = f"{event.start_date.isoformat()}T{event.start_time.isoformat('minutes')}"
    talks = [talk for session in event.sessions.all() for talk in session.talks.all()]
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": request.build_absolute_uri(),
        "url": request.build_absolute_uri(),
        "name": event.name,
        "description": event.description,
        "startDate": start,
        "endDate": event.end or None,
        "eventAttendanceMode": ATTENDANCE_MODES.get(event.attendance_mode),
        "location": place,
        "organizer": [
            {"@type": "Organization", "name": p.organization.name}
            for p in event.participations.all()
            if p.role == "organizer"
        ],
        "performer": [{"@type": "Person", "name": talk.speaker.name} for talk in talks],
        "subjectOf": cited(event, request),
    }
