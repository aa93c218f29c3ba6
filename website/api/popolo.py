"""The whole directory as Popolo JSON (https://www.popoloproject.com), so that tools built for
that standard can read it.

Mapping: people are persons; organizations, networks and programs are organizations (told
apart by classification); positions, network memberships and program roles are memberships
(an organization member is given as {"@type": "Organization", "id": ...}); events are events,
their sessions child events, and talks are speeches. Every item lists its sources as links.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from directory.api.renderers import FastJSONRenderer
from directory.models import Organization, Person, Position
from events.models import Event, Session, Talk
from networks.models import Membership, Network, Program, ProgramRole


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
        links = []
        for source in record.sources.all():
            address = source.web_address or self.request.build_absolute_uri(
                reverse("source-detail", args=[source.slug])
            )
            details = [
                source.title,
                source.publisher.name if source.publisher else "",
                source.published_on.isoformat() if source.published_on else "",
            ]
            links.append({"url": address, "note": ", ".join(part for part in details if part)})
        return links

    def document(self):
        return {
            "persons": [
                self.person(p) for p in Person.objects.prefetch_related("sources__publisher")
            ],
            "organizations": [
                *(
                    self.organization(o)
                    for o in Organization.objects.select_related("parent").prefetch_related(
                        "other_names", "identifiers", "sources__publisher"
                    )
                ),
                *(self.network(n) for n in Network.objects.prefetch_related("sources__publisher")),
                *(
                    self.program(p)
                    for p in Program.objects.select_related("parent").prefetch_related(
                        "sources__publisher"
                    )
                ),
            ],
            "memberships": [
                *(
                    self.position(p)
                    for p in Position.objects.select_related(
                        "person", "organization"
                    ).prefetch_related("sources__publisher")
                ),
                *(
                    self.membership(m)
                    for m in Membership.objects.select_related(
                        "organization", "network"
                    ).prefetch_related("sources__publisher")
                ),
                *(
                    self.program_role(r)
                    for r in ProgramRole.objects.select_related(
                        "organization", "program"
                    ).prefetch_related("sources__publisher")
                ),
            ],
            "events": [
                *(
                    self.event(e)
                    for e in Event.objects.select_related("city").prefetch_related(
                        "participations__organization", "sources__publisher"
                    )
                ),
                *(
                    self.session(s)
                    for s in Session.objects.select_related("event").prefetch_related(
                        "sources__publisher"
                    )
                ),
            ],
            "speeches": [
                self.speech(t)
                for t in Talk.objects.select_related(
                    "speaker", "speaker_organization"
                ).prefetch_related("sources__publisher")
            ],
        }

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
    """The directory as one Popolo JSON document."""

    permission_classes = [AllowAny]
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(PopoloExport(request).document())
