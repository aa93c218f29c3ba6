from django.db.models import prefetch_related_objects
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from directory.api import row_cache
from directory.api.common import DirectoryViewSet, Links
from directory.api.listing import organization, organization_rows
from directory.api.pagination import CountedAs
from directory.api.serializers import (
    OrganizationDetailExtrasSerializer,
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
from directory.models.organizations import OrganizationQuerySet
from directory.pages import organization_moved


class OrganizationViewSet(DirectoryViewSet):
    """Organizations with their other names, fields of work, place and memberships."""

    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    detail_serializer_class = OrganizationDetailSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = ["slug", "name_zh", "name_en", "kind", "founded_on"]

    def get_queryset(self):
        if self.action == "list":
            # list() reads values() rows, which take no prefetching.
            return Organization.objects.all()
        return super().get_queryset()

    def list(self, request, *args, **kwargs):
        # Filtered, ordered and paginated as any list, but a page of values() rows, written
        # without serializers (directory.api.listing): the serializer's JSON for a fraction
        # of its cost. (No docstring: the schema describes the list by the class's.)
        queryset = self.filter_queryset(self.get_queryset())
        links = Links(request, self.format_kwarg)
        if row_cache.serves(request):
            ids = self.paginate_queryset(
                CountedAs(queryset.values_list("pk", flat=True), queryset, self.selection)
            )
            return self.get_paginated_response(row_cache.organization_rows(ids, links))
        page = self.paginate_queryset(CountedAs(queryset.listing_rows(), queryset, self.selection))
        rows = Organization.objects.with_nested(page)
        return self.get_paginated_response(organization_rows(rows, links))

    @extend_schema(
        responses={
            200: OrganizationDetailSerializer,
            301: OpenApiResponse(
                description=(
                    "The organization's address changed: it was merged into another, or its slug "
                    "was edited. Location gives its address now."
                )
            ),
        }
    )
    def retrieve(self, request, *args, **kwargs):
        # Read as a list's row is, plus what only the detail shows through its serializer:
        # the same JSON as OrganizationDetailSerializer's, without building the row's
        # relations as instances.
        slug = kwargs[self.lookup_url_kwarg or self.lookup_field]
        row = (
            Organization.objects.filter(slug=slug)
            .listing_rows()
            .compiled_once("detail row")
            .first()
        )
        if row is None:
            # Not found, it says what DRF's own retrieve() says.
            return organization_moved(
                request,
                slug,
                "organization-detail",
                not_found=(f"No {Organization._meta.object_name} matches the given query."),
            )
        [row] = Organization.objects.with_nested([row])
        # The record its related records lead back to (a talk's speaker's organization).
        record = Organization(
            **{
                column: row[column]
                for column in OrganizationQuerySet.LISTING_COLUMNS
                if "__" not in column
            }
        )
        self.check_object_permissions(request, record)
        prefetch_related_objects([record], *Organization.objects.detail_relations())
        extras = OrganizationDetailExtrasSerializer(record, context=self.get_serializer_context())
        return Response({**organization(row, Links(request, self.format_kwarg)), **extras.data})


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
