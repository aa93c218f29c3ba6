from directory.api.common import DirectoryViewSet
from directory.api.serializers import (
    OrganizationDetailSerializer,
    OrganizationSerializer,
    PersonDetailSerializer,
    PersonSerializer,
    PositionSerializer,
    SourceDetailSerializer,
    SourceSerializer,
)
from directory.filters import (
    OrganizationFilterSet,
    PersonFilterSet,
    PositionFilterSet,
    SourceFilterSet,
)
from directory.models import Organization, Person, Position, Source


class OrganizationViewSet(DirectoryViewSet):
    """Organizations with their other names, fields of work, place and memberships."""

    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    detail_serializer_class = OrganizationDetailSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = ["slug", "name_zh", "name_en", "kind", "founded_on"]


class PersonViewSet(DirectoryViewSet):
    """People with the positions they hold."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    detail_serializer_class = PersonDetailSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["slug", "name_zh", "name_en"]


class PositionViewSet(DirectoryViewSet):
    """Who holds (or held) which title in which organization."""

    lookup_field = "pk"
    queryset = Position.objects.all()
    serializer_class = PositionSerializer
    filterset_class = PositionFilterSet
    ordering_fields = ["start_date", "end_date"]


class SourceViewSet(DirectoryViewSet):
    """The publications that records cite."""

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    detail_serializer_class = SourceDetailSerializer
    filterset_class = SourceFilterSet
    ordering_fields = ["slug", "title", "published_on"]
