"""Generated events with their agenda (sessions and talks in order) and the organizations
that organized or took part in them."""

import datetime

from events.models import Event, Participation, Session, Talk
from website.bulk import batches, write, write_children
from website.generator.names import CITIES, EVENT_FORMS, THEMES, WORKS
from website.generator.networks import distinct
from website.generator.plan import EVENT_YEARS
from website.generator.writing import SlugAllocator, prepare

# An agenda: session kinds in order, each with how many talks (lowest, highest) and whether
# it appears for sure.
AGENDA = [
    ("opening", (1, 2), True),
    ("keynote", (1, 1), False),
    ("keynote", (1, 1), False),
    ("thematic", (2, 4), True),
    ("thematic", (2, 4), False),
    ("roundtable", (3, 5), False),
    ("closing", (1, 1), False),
]
SESSION_TITLES = {
    "opening": ("开幕式", "Opening"),
    "keynote": ("主旨演讲", "Keynote"),
    "thematic": ("{theme}主题分享", "Sharing on {theme_en}"),
    "roundtable": (
        "圆桌对话：{theme}{work}的未来",
        "Roundtable: the future of {theme_en} {work_en}",
    ),
    "closing": ("闭幕式", "Closing"),
}
ROLE_COUNTS = {
    "organizer": (1, 1),
    "co_organizer": (0, 2),
    "supporter": (0, 2),
    "participant": (2, 10),
}


def event_name(rng):
    return (
        rng.choice(CITIES),
        rng.choice(THEMES),
        rng.choice(EVENT_FORMS),
        rng.choice(EVENT_YEARS),
    )


def generate_events(context):
    """Events, then their sessions, then the sessions' talks, and the participations; every
    part of an event is stated by the event's sources."""
    rng = context.rng("events")
    for batch in batches(event_rows(context, rng)):
        links = [{"sources": row[1]} for row in batch]
        created = write(Event, [row[0] for row in batch], links)
        agendas = [row[2] for row in batch]
        sessions = write_children(
            Session,
            "event",
            created,
            [[session for session, _talks in sessions] for sessions in agendas],
            links,
        )
        write_children(
            Talk,
            "session",
            sessions,
            [talks for sessions in agendas for _session, talks in sessions],
            [link for link, sessions in zip(links, agendas, strict=True) for _session in sessions],
        )
        write_children(Participation, "event", created, [row[3] for row in batch], links)
        context.events += [event.pk for event in created]
        context.progress("events", len(context.events), context.plan.events)


def event_rows(context, rng):
    """For each event: the record, its sources, its agenda and its participations."""
    slugs = SlugAllocator(Event)
    for city, theme, form, year in distinct(rng, event_name, context.plan.events):
        work = rng.choice(WORKS)
        start = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        days = rng.choices([0, 1, 2], [5, 3, 2])[0]
        timed = rng.random() < 0.5
        event = Event(
            name_zh=city[0] + theme[0] + form[0],
            name_en=f"{city[1]} {theme[1]} {form[1]}",
            kind=form[2],
            start_date=start,
            start_precision="day",
            end_date=start + datetime.timedelta(days=days) if days else None,
            end_precision="day",
            attendance_mode=rng.choice(["", "in_person", "in_person", "online", "hybrid"]),
            start_time=datetime.time(rng.choice([9, 10, 14]), rng.choice([0, 30]))
            if timed
            else None,
            city_id=context.cities[city[0]],
            country=city[2],
            venue_zh=f"{city[0]}国际会议中心" if rng.random() < 0.5 else "",
            venue_en=f"{city[1]} International Conference Center" if rng.random() < 0.3 else "",
            description_zh=f"围绕{theme[0]}{work[0]}的{form[0]}。",
            description_en=f"A {form[1].lower()} on {theme[1].lower()} {work[1].lower()}.",
        )
        if timed:
            event.end_time = (
                datetime.datetime.combine(start, event.start_time)
                + datetime.timedelta(hours=rng.randint(2, 8))
            ).time()
        prepare(event, slugs)
        yield (
            event,
            context.cite(rng),
            agenda(context, rng, event, theme, work),
            participations(context, rng),
        )


def agenda(context, rng, event, theme, work):
    """Sessions in order, each with its talks in order, timed one after the other when the
    event's start time is known."""
    clock = (
        datetime.datetime.combine(event.start_date, event.start_time) if event.start_time else None
    )
    # Sessions are timed until the event's end on its first day.
    end = datetime.datetime.combine(
        event.start_date,
        event.end_time if event.end_time and not event.end_date else datetime.time(23, 59),
    )
    sessions = []
    for kind, (lowest, highest), certain in AGENDA:
        if not certain and rng.random() < 0.5:
            continue
        title_zh, title_en = SESSION_TITLES[kind]
        words = {
            "theme": theme[0],
            "work": work[0],
            "theme_en": theme[1].lower(),
            "work_en": work[1].lower(),
        }
        session = Session(
            order=len(sessions) + 1,
            kind=kind,
            title_zh=title_zh.format(**words),
            title_en=title_en.format(**words),
        )
        if clock and clock < end:
            session.start_time = clock.time()
            clock = min(clock + datetime.timedelta(minutes=rng.choice([30, 45, 60, 90])), end)
            session.end_time = clock.time()
        else:
            clock = None
        count = rng.randint(lowest, highest) if context.people else 0
        speakers = rng.sample(range(len(context.people)), min(count, len(context.people)))
        talks = [
            talk(context, rng, speaker, order, kind, theme, event)
            for order, speaker in enumerate(speakers, start=1)
        ]
        sessions.append((session, talks))
    return sessions


def talk(context, rng, speaker, order, session_kind, theme, event):
    position = context.positions[speaker] if rng.random() < 0.8 else None
    if position and context.founded.get(position[0], 0) >= event.start_date.year:
        position = None  # a speaker speaks for an organization founded before the event
    record = Talk(
        order=order,
        speaker_id=context.people[speaker],
        role="speaker",
        remote=rng.random() < (0.5 if event.attendance_mode in ("online", "hybrid") else 0.05),
    )
    if session_kind == "roundtable":
        record.role = "moderator" if order == 1 else "panelist"
    if session_kind in ("keynote", "thematic"):
        record.title_zh = f"{theme[0]}工作的实践与思考"
        record.title_en = f"Practice and reflections on {theme[1].lower()} work"
    if position:
        record.speaker_organization_id, record.speaker_title_zh, record.speaker_title_en = position
    return record


def participations(context, rng):
    """Different organizations in each role: one organizer, and perhaps co-organizers,
    supporters and participants."""
    roles = [
        role
        for role, (lowest, highest) in ROLE_COUNTS.items()
        for _ in range(rng.randint(lowest, highest))
    ]
    organizations = rng.sample(context.organizations, min(len(roles), len(context.organizations)))
    return [
        Participation(organization_id=organization, role=role)
        for organization, role in zip(organizations, roles, strict=False)
    ]
