from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from directory.api import row_cache
from directory.api.common import DirectoryViewSet
from directory.api.exports import Exported
from directory.api.pagination import CountedAs
from directory.api.serializers import (
    OrganizationDetailSerializer,
    OrganizationSerializer,
    PersonSerializer,
    PositionSerializer,
    SourceDetailSerializer,
    SourceSerializer,
)
from directory.api.writers import row_writer_for, writer_for
from directory.filters import (
    OrganizationFilterSet,
    PersonFilterSet,
    PositionFilterSet,
    SourceFilterSet,
)
from directory.models import Organization, Person, Position, Source
from directory.pages import organization_moved

MOVED = OpenApiResponse(
    description=(
        "The organization's address changed: it was merged into another, or its slug was "
        "edited. Location gives its address now."
    )
)


class OrganizationViewSet(Exported, DirectoryViewSet):
    """Organizations with their other names, fields of work, place and sources. The site
    serves them with their memberships (website.records.api)."""

    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    detail_serializer_class = OrganizationDetailSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = [
        "slug",
        "name_zh",
        "name_en",
        "kind",
        "founded_on",
        "sort_key_zh",
        "sort_key_en",
    ]

    def list(self, request, *args, **kwargs):
        # Filtered, ordered and paginated as any list, but the page is taken as ids alone
        # (from an index, however deep the page), and the organizations are written from
        # values() rows by the serializer's fields (directory.api.writers.RowWriter), or
        # taken from the row cache. The ids come as values() rows, to which keyset pages
        # add their position (directory.api.keyset). (No docstring: the schema describes
        # the list by the class's.)
        queryset = self.filter_queryset(self.get_queryset())
        links = self.record_links()
        keys = queryset.prefetch_related(None).values("pk")
        page = self.paginate_queryset(CountedAs(keys, queryset, self.selection))
        ids = [row["pk"] for row in page]
        if row_cache.serves(request):
            rows = row_cache.organization_rows(ids, links, self.serializer_class)
            return self.get_paginated_response(rows)
        rows = row_writer_for(self.serializer_class).many(ids, links)
        return self.get_paginated_response(rows)

    @extend_schema(responses={200: OrganizationDetailSerializer, 301: MOVED})
    def retrieve(self, request, *args, **kwargs):
        try:
            organization = self.get_object()
        except Http404:
            # Not found, it says what DRF's own retrieve() says.
            return organization_moved(
                request,
                kwargs[self.lookup_url_kwarg or self.lookup_field],
                "organization-detail",
                not_found=f"No {Organization._meta.object_name} matches the given query.",
            )
        write = writer_for(self.detail_serializer_class)
        return Response(write(organization, self.record_links()))

    def export_batch_records(self, ids, links):
        # As the list writes its page: from values() rows, by the serializer's fields.
        return row_writer_for(self.serializer_class).many(ids, links)


class PersonViewSet(Exported, DirectoryViewSet):
    """People with the positions they hold."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["slug", "name_zh", "name_en", "sort_key_zh", "sort_key_en"]


class PositionViewSet(Exported, DirectoryViewSet):
    """Who holds (or held) which title in which organization."""

    lookup_field = "pk"
    queryset = Position.objects.all()
    serializer_class = PositionSerializer
    filterset_class = PositionFilterSet
    ordering_fields = ["start_date", "end_date"]


class SourceViewSet(Exported, DirectoryViewSet):
    """The publications that records cite."""

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    detail_serializer_class = SourceDetailSerializer
    filterset_class = SourceFilterSet
    ordering_fields = ["slug", "title", "published_on"]
