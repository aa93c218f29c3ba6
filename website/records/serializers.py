"""The JSON of an organization, a person and a source, with the relations networks and events
own. Each adds to the directory's declaration (directory.api.serializers) what the other apps
know; what the directory declares is not repeated."""

from directory.api import serializers as own
from events.api.serializers import ParticipationOfOrganizationSerializer, TalkOfSpeakerSerializer
from events.api.summaries import EventSummarySerializer
from networks.api.serializers import (
    MembershipOfOrganizationSerializer,
    ProgramRoleOfOrganizationSerializer,
)
from networks.api.summaries import NetworkSummarySerializer, ProgramSummarySerializer


def before_sources(fields, *added):
    """A record's fields with `added` placed before its sources, which close every record."""
    position = fields.index("sources")
    return [*fields[:position], *added, *fields[position:]]


class OrganizationSerializer(own.OrganizationSerializer):
    memberships = MembershipOfOrganizationSerializer(many=True, read_only=True)

    class Meta(own.OrganizationSerializer.Meta):
        fields = before_sources(own.OrganizationSerializer.Meta.fields, "memberships")


class OrganizationDetailSerializer(OrganizationSerializer, own.OrganizationDetailSerializer):
    program_roles = ProgramRoleOfOrganizationSerializer(many=True, read_only=True)
    event_participations = ParticipationOfOrganizationSerializer(many=True, read_only=True)
    talks = TalkOfSpeakerSerializer(many=True, read_only=True)

    class Meta(OrganizationSerializer.Meta):
        fields = [
            *OrganizationSerializer.Meta.fields,
            *(
                name
                for name in own.OrganizationDetailSerializer.Meta.fields
                if name not in OrganizationSerializer.Meta.fields
            ),
            "program_roles",
            "event_participations",
            "talks",
        ]


class PersonDetailSerializer(own.PersonSerializer):
    talks = TalkOfSpeakerSerializer(many=True, read_only=True)

    class Meta(own.PersonSerializer.Meta):
        fields = [*own.PersonSerializer.Meta.fields, "talks"]


class SourceDetailSerializer(own.SourceDetailSerializer):
    cited_by_networks = NetworkSummarySerializer(
        source="cited_by_network", many=True, read_only=True
    )
    cited_by_programs = ProgramSummarySerializer(
        source="cited_by_program", many=True, read_only=True
    )
    cited_by_events = EventSummarySerializer(source="cited_by_event", many=True, read_only=True)

    class Meta(own.SourceDetailSerializer.Meta):
        fields = [
            *own.SourceDetailSerializer.Meta.fields,
            "cited_by_networks",
            "cited_by_programs",
            "cited_by_events",
        ]
