from directory.api.common import DirectoryViewSet
from directory.api.exports import Exported
from networks.api.serializers import (
    NESTED_MEMBERS,
    MembershipSerializer,
    NetworkDetailSerializer,
    NetworkSerializer,
    ProgramDetailSerializer,
    ProgramSerializer,
)
from networks.filters import MembershipFilterSet, NetworkFilterSet, ProgramFilterSet
from networks.models import Membership, Network, Program


class NetworkViewSet(Exported, DirectoryViewSet):
    """Networks, platforms and status systems that organizations join."""

    queryset = Network.objects.all()
    serializer_class = NetworkSerializer
    detail_serializer_class = NetworkDetailSerializer
    filterset_class = NetworkFilterSet
    ordering_fields = [
        "slug",
        "name_zh",
        "name_en",
        "founded_on",
        "member_count",
        "sort_key_zh",
        "sort_key_en",
    ]

    def get_object(self):
        network = super().get_object()
        if self.action == "retrieve":
            # One network's first members straight from the index, not a prefetch, which
            # would rank all of its members with a window function to keep the first.
            network.first_memberships = list(
                Membership.objects.members_of(network)[:NESTED_MEMBERS]
            )
        return network


class MembershipViewSet(Exported, DirectoryViewSet):
    """Organizations' places in networks, with role, consultative status level and dates."""

    lookup_field = "pk"
    queryset = Membership.objects.all()
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    ordering_fields = ["start_date", "end_date", "role", "level"]


class ProgramViewSet(Exported, DirectoryViewSet):
    """Programs and projects, with the organizations that run, fund or join them."""

    queryset = Program.objects.all()
    serializer_class = ProgramSerializer
    detail_serializer_class = ProgramDetailSerializer
    filterset_class = ProgramFilterSet
    ordering_fields = ["slug", "name_zh", "name_en", "start_date", "sort_key_zh", "sort_key_en"]
