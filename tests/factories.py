"""Generated records for tests that need many rows.

make_directory(n) makes n of every kind of record, each fully connected (a list page of n
organizations embeds n of everything), plus "hub" records that every generated record is
related to (a hub's detail embeds n of everything).
"""

import datetime
import itertools
from types import SimpleNamespace

from directory.models import (
    City,
    FieldOfWork,
    Identifier,
    Organization,
    OrganizationName,
    Person,
    Position,
    Source,
)
from events.models import Event, Participation, Session, Talk
from networks.models import Membership, Network, Program, ProgramRole

WIKIDATA_NUMBERS = itertools.count(9_000_000)
# The size of the session's generated directory (tests/conftest.py: generated_directory):
# more than a list page of fifty.
DIRECTORY_SIZE = 55


def cited(record, *sources):
    record.sources.add(*sources)
    return record


def make_hub(prefix, source):
    day = datetime.date(2030, 1, 1)
    hub = SimpleNamespace(source=source)
    hub.organization = cited(
        Organization.objects.create(name_en=f"{prefix} hub", kind="ngo"), source
    )
    hub.person = cited(Person.objects.create(name_en=f"{prefix} hub person"), source)
    hub.network = cited(
        Network.objects.create(name_en=f"{prefix} hub network", kind="platform", scope="national"),
        source,
    )
    hub.event = cited(
        Event.objects.create(name_en=f"{prefix} hub event", kind="meeting", start_date=day), source
    )
    hub.session = cited(Session.objects.create(event=hub.event, order=1, kind="thematic"), source)
    hub.program = cited(
        Program.objects.create(name_en=f"{prefix} hub program", kind="training"), source
    )
    cited(
        ProgramRole.objects.create(
            program=hub.program, organization=hub.organization, role="funder"
        ),
        source,
    )
    cited(
        Participation.objects.create(
            event=hub.event, organization=hub.organization, role="organizer"
        ),
        source,
    )
    return hub


def make_directory(count, prefix="gen"):
    publisher = Organization.objects.get(slug="china-development-brief")
    hub = make_hub(
        prefix,
        Source.objects.create(slug=f"{prefix}-hub", title=f"{prefix} hub", publisher=publisher),
    )
    city = City.objects.get(slug="beijing")
    field = FieldOfWork.objects.get(slug="volunteering")
    for n in range(count):
        source = Source.objects.create(
            slug=f"{prefix}-source-{n:03}",
            title=f"{prefix} source {n:03}",
            publisher=hub.organization,
        )
        sources = (source, hub.source)
        organization = cited(
            Organization.objects.create(
                name_en=f"{prefix} organization {n:03}",
                name_zh=f"{prefix}机构{n:03}",
                kind="ngo",
                city=city,
                country="CN",
                parent=hub.organization,
            ),
            *sources,
        )
        organization.fields.add(field)
        OrganizationName.objects.create(
            organization=organization, name=f"{prefix}{n}", language="en", kind="abbreviation"
        )
        Identifier.objects.create(
            organization=organization, scheme="wikidata", value=f"Q{next(WIKIDATA_NUMBERS)}"
        )
        person = cited(Person.objects.create(name_en=f"{prefix} person {n:03}"), *sources)
        network = cited(
            Network.objects.create(
                name_en=f"{prefix} network {n:03}",
                kind="platform",
                scope="national",
                secretariat=organization,
            ),
            *sources,
        )
        event = cited(
            Event.objects.create(
                name_en=f"{prefix} event {n:03}",
                kind="meeting",
                start_date=datetime.date(2030, 1, 2),
                city=city,
            ),
            *sources,
        )
        session = cited(Session.objects.create(event=event, order=1, kind="keynote"), *sources)
        program = cited(
            Program.objects.create(
                name_en=f"{prefix} program {n:03}",
                kind="training",
                network=network,
                parent=hub.program,
                launch_event=event,
            ),
            *sources,
        )
        for organization_, network_ in [
            (organization, network),
            (organization, hub.network),
            (hub.organization, network),
        ]:
            cited(
                Membership.objects.create(
                    organization=organization_, network=network_, role="member"
                ),
                *sources,
            )
        for person_, organization_ in [
            (person, organization),
            (person, hub.organization),
            (hub.person, organization),
        ]:
            cited(
                Position.objects.create(
                    person=person_, organization=organization_, title_en="Director"
                ),
                *sources,
            )
        for event_ in (event, hub.event):
            cited(
                Participation.objects.create(
                    event=event_, organization=organization, role="participant"
                ),
                *sources,
            )
        for session_, order in [(session, 1), (hub.session, n + 1)]:
            cited(
                Talk.objects.create(
                    session=session_, order=order, speaker=person, speaker_organization=organization
                ),
                *sources,
            )
        cited(
            Talk.objects.create(
                session=session, order=2, speaker=hub.person, speaker_organization=hub.organization
            ),
            *sources,
        )
        for program_ in (program, hub.program):
            cited(
                ProgramRole.objects.create(
                    program=program_, organization=organization, role="partner"
                ),
                *sources,
            )
    return hub


def make_committee(count, prefix="committee", first_year=2001):
    """An organization the UN Committee on NGOs deferred at `count` sessions and then
    granted, with a roll-call vote at each session (China against, France in favour, Kenya
    abstaining, Brazil absent); another organization granted at the first session."""
    from networks.models import CommitteeSession, Decision, Vote, VoteCast

    applicant = Organization.objects.create(name_en=f"{prefix} applicant", kind="ngo", country="IN")
    other = Organization.objects.create(name_en=f"{prefix} other", kind="ngo", country="GB")
    sessions = []
    for n in range(count):
        session = CommitteeSession.objects.create(
            date=datetime.date(first_year + n // 2, 1 + 6 * (n % 2), 15)
        )
        sessions.append(session)
        kind = Decision.Kind.GRANTED if n == count - 1 else Decision.Kind.DEFERRED
        Decision.objects.create(
            session=session,
            organization=applicant,
            kind=kind,
            name=applicant.name_en,
            file="test.xlsx",
            row_number=n + 2,
        )
        vote = Vote.objects.create(
            session=session,
            order=1,
            topic=f"Application of {applicant.name_en}",
            organization=applicant,
            outcome=Vote.Outcome.REJECTED,
        )
        for country, choice in (
            ("CN", "against"),
            ("FR", "in_favour"),
            ("KE", "abstained"),
            ("BR", "absent"),
        ):
            VoteCast.objects.create(vote=vote, country=country, choice=choice)
    Decision.objects.create(
        session=sessions[0],
        organization=other,
        kind=Decision.Kind.GRANTED,
        name=other.name_en,
        file="test.xlsx",
        row_number=1,
    )
    return SimpleNamespace(applicant=applicant, other=other, sessions=sessions)
