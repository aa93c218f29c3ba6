"""Organizations, people, positions and sources in JSON, as far as this app knows them. The
site composes them with what networks and events know of them (website.records)."""

from directory.api.common import (
    PERIOD_FIELDS,
    DirectorySerializer,
    LinkedSlugField,
    LinkField,
    ModelValidatedSerializer,
)
from directory.api.summaries import (
    CitySummarySerializer,
    FieldOfWorkSummarySerializer,
    OrganizationSummarySerializer,
    PersonSummarySerializer,
    sources_field,
)
from directory.models import (
    City,
    FieldOfWork,
    Identifier,
    Organization,
    OrganizationName,
    Person,
    Position,
    Source,
)


class OtherNameSerializer(DirectorySerializer):
    class Meta:
        model = OrganizationName
        fields = [
            "name",
            "language",
            "kind",
            "end_date",
            "end_precision",
            "used_until",
            "citations",
        ]


class IdentifierSerializer(DirectorySerializer):
    class Meta:
        model = Identifier
        fields = ["scheme", "value", "url"]


class PositionSerializer(ModelValidatedSerializer):
    url = LinkField(view_name="position-detail")
    person = LinkedSlugField(PersonSummarySerializer, queryset=Person.objects.all())
    organization = LinkedSlugField(
        OrganizationSummarySerializer, queryset=Organization.objects.all()
    )
    sources = sources_field()

    class Meta:
        model = Position
        fields = [
            "id",
            "url",
            "person",
            "organization",
            "title_zh",
            "title_en",
            *PERIOD_FIELDS,
            "as_of",
            "citations",
            "sources",
        ]


class PositionOfPersonSerializer(DirectorySerializer):
    """A position as listed on the person holding it."""

    organization = OrganizationSummarySerializer()

    class Meta:
        model = Position
        fields = ["id", "organization", "title_zh", "title_en", *PERIOD_FIELDS, "as_of"]


class PositionInOrganizationSerializer(DirectorySerializer):
    """A position as listed on its organization."""

    person = PersonSummarySerializer()

    class Meta:
        model = Position
        fields = ["id", "person", "title_zh", "title_en", *PERIOD_FIELDS, "as_of"]


class OrganizationSerializer(ModelValidatedSerializer):
    url = LinkField(view_name="organization-detail", lookup_field="slug")
    fields = LinkedSlugField(
        FieldOfWorkSummarySerializer, many=True, queryset=FieldOfWork.objects.all(), required=False
    )
    city = LinkedSlugField(
        CitySummarySerializer, queryset=City.objects.all(), allow_null=True, required=False
    )
    parent = LinkedSlugField(
        OrganizationSummarySerializer,
        queryset=Organization.objects.all(),
        allow_null=True,
        required=False,
    )
    other_names = OtherNameSerializer(many=True, read_only=True)
    sources = sources_field()

    class Meta:
        model = Organization
        fields = [
            "url",
            "slug",
            "name_zh",
            "name_en",
            "other_names",
            "kind",
            "fields",
            "city",
            "country",
            "parent",
            "founded_on",
            "founded_precision",
            "founded",
            "website",
            "description_zh",
            "description_en",
            "citations",
            "sources",
        ]


class OrganizationDetailSerializer(OrganizationSerializer):
    identifiers = IdentifierSerializer(many=True, read_only=True)
    units = OrganizationSummarySerializer(many=True, read_only=True)
    positions = PositionInOrganizationSerializer(many=True, read_only=True)

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "identifiers", "units", "positions"]


class PersonSerializer(ModelValidatedSerializer):
    url = LinkField(view_name="person-detail", lookup_field="slug")
    positions = PositionOfPersonSerializer(many=True, read_only=True)
    sources = sources_field()

    class Meta:
        model = Person
        fields = [
            "url",
            "slug",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
            "positions",
            "citations",
            "sources",
        ]


class SourceSerializer(ModelValidatedSerializer):
    url = LinkField(view_name="source-detail", lookup_field="slug")
    publisher = LinkedSlugField(
        OrganizationSummarySerializer,
        queryset=Organization.objects.all(),
        allow_null=True,
        required=False,
    )

    class Meta:
        model = Source
        fields = [
            "url",
            "slug",
            "title",
            "kind",
            "publisher",
            "author",
            "published_on",
            "language",
            "web_address",
            "note",
        ]


class SourceDetailSerializer(SourceSerializer):
    """A source with the named records that cite it."""

    cited_by_organizations = OrganizationSummarySerializer(
        source="cited_by_organization", many=True, read_only=True
    )
    cited_by_people = PersonSummarySerializer(source="cited_by_person", many=True, read_only=True)

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "cited_by_organizations", "cited_by_people"]
