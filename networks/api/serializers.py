from urllib.parse import urlencode

from rest_framework import serializers
from rest_framework.reverse import reverse

from directory.api.common import (
    PERIOD_FIELDS,
    DirectorySerializer,
    LinkedSlugField,
    LinkField,
    ModelValidatedSerializer,
)
from directory.api.summaries import OrganizationSummarySerializer, sources_field
from directory.models import Organization
from events.api.summaries import EventSummarySerializer
from events.models import Event
from networks.api.summaries import NetworkSummarySerializer, ProgramSummarySerializer
from networks.models import Membership, Network, Program, ProgramRole


class MembershipSerializer(ModelValidatedSerializer):
    url = LinkField(view_name="membership-detail")
    organization = LinkedSlugField(
        OrganizationSummarySerializer, queryset=Organization.objects.all()
    )
    network = LinkedSlugField(NetworkSummarySerializer, queryset=Network.objects.all())
    sources = sources_field()

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "organization",
            "network",
            "role",
            "level",
            *PERIOD_FIELDS,
            "notes",
            "citations",
            "sources",
        ]


class MembershipOfOrganizationSerializer(DirectorySerializer):
    """A membership as listed on its organization."""

    network = NetworkSummarySerializer()

    class Meta:
        model = Membership
        fields = ["id", "network", "role", "level", *PERIOD_FIELDS]


class MemberOfNetworkSerializer(DirectorySerializer):
    """A membership as listed on its network."""

    organization = OrganizationSummarySerializer()

    class Meta:
        model = Membership
        fields = ["id", "organization", "role", "level", *PERIOD_FIELDS]


class NetworkSerializer(ModelValidatedSerializer):
    url = LinkField(view_name="network-detail", lookup_field="slug")
    secretariat = LinkedSlugField(
        OrganizationSummarySerializer,
        queryset=Organization.objects.all(),
        allow_null=True,
        required=False,
    )
    member_count = serializers.IntegerField(read_only=True)
    sources = sources_field()

    class Meta:
        model = Network
        fields = [
            "url",
            "slug",
            "name_zh",
            "name_en",
            "abbreviation",
            "kind",
            "scope",
            "founded_on",
            "founded_precision",
            "founded",
            "secretariat",
            "website",
            "description_zh",
            "description_en",
            "member_count",
            "citations",
            "sources",
        ]


# A network may have tens of thousands of members: its record nests the first ones and links
# to the list of them all.
NESTED_MEMBERS = 100


class NetworkDetailSerializer(NetworkSerializer):
    memberships = MemberOfNetworkSerializer(
        source="first_memberships",
        many=True,
        read_only=True,
        help_text=f"The first {NESTED_MEMBERS} memberships, in the order their organizations "
        "were recorded; all_memberships lists them all.",
    )
    all_memberships = serializers.SerializerMethodField(
        help_text="The address of the list of all this network's memberships."
    )
    programs = ProgramSummarySerializer(many=True, read_only=True)

    class Meta(NetworkSerializer.Meta):
        fields = [*NetworkSerializer.Meta.fields, "memberships", "all_memberships", "programs"]

    def get_all_memberships(self, network) -> str:
        address = reverse("membership-list", request=self.context.get("request"))
        return f"{address}?{urlencode({'network': network.slug})}"


class RoleInProgramSerializer(DirectorySerializer):
    """An organization's role as listed on its program."""

    organization = OrganizationSummarySerializer()

    class Meta:
        model = ProgramRole
        fields = ["organization", "role", "notes", "citations"]


class ProgramRoleOfOrganizationSerializer(DirectorySerializer):
    """A program role as listed on its organization."""

    program = ProgramSummarySerializer()

    class Meta:
        model = ProgramRole
        fields = ["program", "role", "notes", "citations"]


class ProgramSerializer(ModelValidatedSerializer):
    url = LinkField(view_name="program-detail", lookup_field="slug")
    parent = LinkedSlugField(
        ProgramSummarySerializer, queryset=Program.objects.all(), allow_null=True, required=False
    )
    network = LinkedSlugField(
        NetworkSummarySerializer, queryset=Network.objects.all(), allow_null=True, required=False
    )
    launch_event = LinkedSlugField(
        EventSummarySerializer, queryset=Event.objects.all(), allow_null=True, required=False
    )
    roles = RoleInProgramSerializer(many=True, read_only=True)
    sources = sources_field()

    class Meta:
        model = Program
        fields = [
            "url",
            "slug",
            "name_zh",
            "name_en",
            "kind",
            "frequency",
            "parent",
            "network",
            "launch_event",
            *PERIOD_FIELDS,
            "countries",
            "roles",
            "description_zh",
            "description_en",
            "citations",
            "sources",
        ]


class ProgramDetailSerializer(ProgramSerializer):
    subprograms = ProgramSummarySerializer(many=True, read_only=True)

    class Meta(ProgramSerializer.Meta):
        fields = [*ProgramSerializer.Meta.fields, "subprograms"]
