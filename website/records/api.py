"""The API's organizations, people and sources: the directory's viewsets (directory.api.views)
with the shapes and filters that know networks and events (website.records)."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from directory.api import views as own
from website.records.filters import OrganizationFilterSet, PersonFilterSet
from website.records.serializers import (
    OrganizationDetailSerializer,
    OrganizationSerializer,
    PersonDetailSerializer,
    SourceDetailSerializer,
)


@extend_schema_view(
    retrieve=extend_schema(responses={200: OrganizationDetailSerializer, 301: own.MOVED})
)
class OrganizationViewSet(own.OrganizationViewSet):
    """Organizations with their other names, fields of work, place and memberships."""

    serializer_class = OrganizationSerializer
    detail_serializer_class = OrganizationDetailSerializer
    filterset_class = OrganizationFilterSet


class PersonViewSet(own.PersonViewSet):
    """People with the positions they hold."""

    detail_serializer_class = PersonDetailSerializer
    filterset_class = PersonFilterSet


class SourceViewSet(own.SourceViewSet):
    """The publications that records cite."""

    detail_serializer_class = SourceDetailSerializer


# The directory's routes these viewsets serve instead of its own (website.api.urls).
COMPOSED = {
    "organizations": OrganizationViewSet,
    "people": PersonViewSet,
    "sources": SourceViewSet,
}
