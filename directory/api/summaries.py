"""How directory records look when embedded in other records."""

from directory.api.common import LinkedSlugField, summary_serializer
from directory.models import City, FieldOfWork, Organization, Person, Source

OrganizationSummarySerializer = summary_serializer(
    Organization, "organization-detail", fields=("slug", "name_zh", "name_en", "country")
)
PersonSummarySerializer = summary_serializer(Person, "person-detail")
SourceSummarySerializer = summary_serializer(
    Source, "source-detail", fields=("slug", "title", "author", "published_on", "web_address")
)
CitySummarySerializer = summary_serializer(City, fields=("slug", "name_zh", "name_en", "country"))
FieldOfWorkSummarySerializer = summary_serializer(FieldOfWork)


def sources_field():
    """The sources a record cites: written as slugs, at least one; read as summaries."""
    return LinkedSlugField(
        SourceSummarySerializer, many=True, queryset=Source.objects.all(), allow_empty=False
    )
