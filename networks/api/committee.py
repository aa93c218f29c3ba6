"""The UN Committee on NGOs' record in the API, read-only: its sessions, its decisions on
organizations and its roll-call votes with each member state's vote."""

from rest_framework import serializers

from directory.api.common import DirectorySerializer, DirectoryViewSet, LinkField
from directory.api.exports import Exported
from directory.api.summaries import OrganizationSummarySerializer
from networks.filters import CommitteeSessionFilterSet, DecisionFilterSet, VoteFilterSet
from networks.models import CommitteeSession, Decision, Vote, VoteCast

READ_ONLY = ["get", "head", "options"]


class CommitteeSessionSerializer(DirectorySerializer):
    url = LinkField(view_name="committeesession-detail", lookup_field="date")
    decision_count = serializers.IntegerField(read_only=True)
    vote_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CommitteeSession
        fields = ["url", "date", "decision_count", "vote_count"]


class DecisionSerializer(DirectorySerializer):
    url = LinkField(view_name="decision-detail", lookup_field="pk")
    session = serializers.DateField(source="session.date", read_only=True)
    organization = OrganizationSummarySerializer(read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "url", "session", "kind", "organization", "name", "file", "row_number"]
        fields += ["info"]


class VoteCastSerializer(DirectorySerializer):
    class Meta:
        model = VoteCast
        fields = ["country", "choice"]


class VoteSerializer(DirectorySerializer):
    url = LinkField(view_name="vote-detail", lookup_field="pk")
    session = serializers.DateField(source="session.date", read_only=True)
    organization = OrganizationSummarySerializer(read_only=True, allow_null=True)
    tally = serializers.SerializerMethodField()
    casts = VoteCastSerializer(many=True, read_only=True)

    class Meta:
        model = Vote
        fields = ["id", "url", "session", "order", "topic", "organization", "outcome"]
        fields += ["outcome_as_written", "tally", "casts"]

    def get_tally(self, vote) -> dict[str, int]:
        return {choice: count for choice, _label, count in vote.tally()}


class CommitteeSessionViewSet(Exported, DirectoryViewSet):
    """Sessions of the UN Committee on NGOs, by the date of their report, with their
    decisions and votes counted."""

    http_method_names = READ_ONLY
    lookup_field = "date"
    lookup_value_regex = r"\d{4}-\d{2}-\d{2}"
    queryset = CommitteeSession.objects.all()
    serializer_class = CommitteeSessionSerializer
    filterset_class = CommitteeSessionFilterSet
    ordering_fields = ["date"]


class DecisionViewSet(Exported, DirectoryViewSet):
    """What the Committee decided on an organization at a session."""

    http_method_names = READ_ONLY
    lookup_field = "pk"
    queryset = Decision.objects.all()
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet
    ordering_fields = ["session__date", "kind"]


class VoteViewSet(Exported, DirectoryViewSet):
    """The Committee's roll-call votes, each with every member state's vote."""

    http_method_names = READ_ONLY
    lookup_field = "pk"
    queryset = Vote.objects.all()
    serializer_class = VoteSerializer
    filterset_class = VoteFilterSet
    ordering_fields = ["session__date", "order"]
