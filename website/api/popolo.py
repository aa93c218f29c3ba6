"""The whole directory as Popolo JSON (https://www.popoloproject.com), so that tools built for
that standard can read it.

Mapping: people are persons; organizations, networks and programs are organizations (told
apart by classification); positions, network memberships and program roles are memberships
(an organization member is given as {"@type": "Organization", "id": ...}); events are events,
their sessions child events, and talks are speeches. Every item lists its sources as links.
"""

import orjson
from django.http import StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from directory.api.renderers import FastJSONRenderer
from directory.models import Organization, Person, Position
from events.models import Event, Session, Talk
from networks.models import Membership, Network, Program, ProgramRole
from website.api.popolo_schema import PopoloDocument

# Records read per statement (their prefetches take as many ids: far below the 65,535
# parameters PostgreSQL takes), and bytes written before they are sent on.
RECORDS_READ = 2_000
FLUSH_BYTES = 256 * 1024


def pid(kind: str, key) -> str:
    return f"{kind}/{key}"


def name_and_other(record, label_zh="name in Chinese", label_en="name in English"):
    """Popolo has one name: the English one where known, the other language as an other name."""
    name = record.name_en or record.name_zh
    others = []
    if record.name_en and record.name_zh:
        others.append({"name": record.name_zh, "note": label_zh})
    return name, others


class PopoloExport:
    def __init__(self, request):
        self.request = request

    def sources(self, record):
        """The record's sources, then a link for each of its citations: the fact cited (a
        field, or the record), where in the source and the passage, in the link's note."""
        links, by_slug = [], {}
        for source in record.sources.all():
            by_slug[source.slug] = address = self.source_address(source.slug, source)
            details = [
                source.title,
                source.publisher.name if source.publisher else "",
                source.published_on.isoformat() if source.published_on else "",
            ]
            links.append({"url": address, "note": ", ".join(part for part in details if part)})
        for citation in getattr(record, "citations", None) or []:
            slug = citation["source"]
            place = ", ".join(part for part in [citation["field"], citation["location"]] if part)
            note = f"{place or 'record'}: “{citation['passage']}”" if citation["passage"] else place
            links.append(
                {"url": by_slug.get(slug) or self.source_address(slug), "note": note or "record"}
            )
        return links

    def source_address(self, slug, source=None):
        if source is not None and source.web_address:
            return source.web_address
        return self.request.build_absolute_uri(reverse("source-detail", args=[slug]))

    def sections(self):
        """The document's lists, each [(records, how one is written)], in order."""
        sources = "sources__publisher"
        return {
            "persons": [(Person.objects.prefetch_related(sources), self.person)],
            "organizations": [
                (
                    Organization.objects.select_related("parent").prefetch_related(
                        "other_names", "identifiers", sources
                    ),
                    self.organization,
                ),
                (Network.objects.prefetch_related(sources), self.network),
                (Program.objects.select_related("parent").prefetch_related(sources), self.program),
            ],
            "memberships": [
                (
                    Position.objects.select_related("person", "organization").prefetch_related(
                        sources
                    ),
                    self.position,
                ),
                (
                    Membership.objects.select_related("organization", "network").prefetch_related(
                        sources
                    ),
                    self.membership,
                ),
                (
                    ProgramRole.objects.select_related("organization", "program").prefetch_related(
                        sources
                    ),
                    self.program_role,
                ),
            ],
            "events": [
                (
                    Event.objects.select_related("city").prefetch_related(
                        "participations__organization", sources
                    ),
                    self.event,
                ),
                (Session.objects.select_related("event").prefetch_related(sources), self.session),
            ],
            "speeches": [
                (
                    Talk.objects.select_related("speaker", "speaker_organization").prefetch_related(
                        sources
                    ),
                    self.speech,
                )
            ],
        }

    def chunks(self):
        """The document as JSON, in pieces of about FLUSH_BYTES: records are read RECORDS_READ
        at a time, each batch with its prefetches, so that memory stays flat however large
        the directory, and no statement carries more parameters than a batch's ids."""
        written = bytearray(b"{")
        for index, (name, parts) in enumerate(self.sections().items()):
            written += b"," * bool(index) + orjson.dumps(name) + b":["
            separator = b""
            for records, write in parts:
                for record in records.order_by("pk").iterator(chunk_size=RECORDS_READ):
                    written += separator + orjson.dumps(write(record))
                    separator = b","
                    if len(written) >= FLUSH_BYTES:
                        yield bytes(written)
                        written.clear()
            written += b"]"
        yield bytes(written + b"}")

    def person(self, person):
        name, others = name_and_other(person)
        return {
            "id": pid("person", person.slug),
            "name": name,
            "other_names": others,
            "summary": person.description_en or person.description_zh or None,
            "sources": self.sources(person),
        }

    def organization(self, organization):
        name, others = name_and_other(organization)
        others += [
            {
                "name": other.name,
                "note": f"{other.get_kind_display()} ({other.get_language_display()})",
                "end_date": other.used_until or None,
            }
            for other in organization.other_names.all()
        ]
        return {
            "id": pid("organization", organization.slug),
            "name": name,
            "other_names": others,
            "identifiers": [
                {"scheme": identifier.scheme, "identifier": identifier.value}
                for identifier in organization.identifiers.all()
            ],
            "classification": organization.kind,
            "parent_id": pid("organization", organization.parent.slug)
            if organization.parent
            else None,
            "founding_date": organization.founded or None,
            "description": organization.description_en or organization.description_zh or None,
            "links": [{"url": organization.website, "note": "website"}]
            if organization.website
            else [],
            "sources": self.sources(organization),
        }

    def network(self, network):
        name, others = name_and_other(network)
        if network.abbreviation:
            others.append({"name": network.abbreviation, "note": "abbreviation"})
        return {
            "id": pid("network", network.slug),
            "name": name,
            "other_names": others,
            "classification": f"network: {network.kind}",
            "founding_date": network.founded or None,
            "description": network.description_en or network.description_zh or None,
            "sources": self.sources(network),
        }

    def program(self, program):
        name, others = name_and_other(program)
        return {
            "id": pid("program", program.slug),
            "name": name,
            "other_names": others,
            "classification": f"program: {program.kind}",
            "parent_id": pid("program", program.parent.slug) if program.parent else None,
            "founding_date": program.start or None,
            "dissolution_date": program.end or None,
            "description": program.description_en or program.description_zh or None,
            "sources": self.sources(program),
        }

    def position(self, position):
        return {
            "id": pid("position", position.pk),
            "person_id": pid("person", position.person.slug),
            "organization_id": pid("organization", position.organization.slug),
            "role": position.title_en or position.title_zh or None,
            "start_date": position.start or None,
            "end_date": position.end or None,
            "sources": self.sources(position),
        }

    def membership(self, membership):
        role = membership.role + (f": {membership.level}" if membership.level else "")
        return {
            "id": pid("membership", membership.pk),
            "member": {
                "@type": "Organization",
                "id": pid("organization", membership.organization.slug),
            },
            "organization_id": pid("network", membership.network.slug),
            "role": role,
            "start_date": membership.start or None,
            "end_date": membership.end or None,
            "sources": self.sources(membership),
        }

    def program_role(self, program_role):
        return {
            "id": pid("program-role", program_role.pk),
            "member": {
                "@type": "Organization",
                "id": pid("organization", program_role.organization.slug),
            },
            "organization_id": pid("program", program_role.program.slug),
            "role": program_role.role,
            "sources": self.sources(program_role),
        }

    def event(self, event):
        organizers = [p.organization for p in event.participations.all() if p.role == "organizer"]
        place = ", ".join(
            part
            for part in [
                event.venue_en or event.venue_zh,
                event.city.name_en if event.city else "",
                event.country.name if event.country else "",
            ]
            if part
        )
        return {
            "id": pid("event", event.slug),
            "name": event.name_en or event.name_zh,
            "description": event.description_en or event.description_zh or None,
            "start_date": event.start,
            "end_date": event.end or None,
            "location": place or None,
            "classification": event.kind,
            "organization_id": pid("organization", organizers[0].slug) if organizers else None,
            "sources": self.sources(event),
        }

    def session(self, session):
        return {
            "id": pid("session", session.pk),
            "name": session.title_en or session.title_zh or session.get_kind_display(),
            "classification": f"session: {session.kind}",
            "parent_id": pid("event", session.event.slug),
            "start_date": session.event.start,
            "sources": self.sources(session),
        }

    def speech(self, talk):
        attribution = ", ".join(
            part
            for part in [
                talk.speaker_title_en or talk.speaker_title_zh,
                talk.speaker_organization.name_en or talk.speaker_organization.name_zh
                if talk.speaker_organization
                else "",
            ]
            if part
        )
        return {
            "id": pid("talk", talk.pk),
            "creator_id": pid("person", talk.speaker.slug),
            "role": talk.role,
            "attribution_text": attribution or None,
            "title": talk.title_en or talk.title_zh or None,
            "type": "remote" if talk.remote else "in person",
            "position": talk.order,
            "event_id": pid("session", talk.session_id),
            "sources": self.sources(talk),
        }


class PopoloView(APIView):
    """The directory as one Popolo JSON document, streamed as it is written."""

    permission_classes = [AllowAny]
    renderer_classes = [FastJSONRenderer]

    @extend_schema(responses={200: PopoloDocument})
    def get(self, request):
        # Asked before the answer starts: a database that cannot be reached is then a 503,
        # not a 200 cut short.
        Person.objects.exists()
        response = StreamingHttpResponse(
            PopoloExport(request).chunks(), content_type="application/json"
        )
        response["Content-Disposition"] = 'inline; filename="popolo.json"'
        return response
