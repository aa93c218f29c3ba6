"""The organization list and an organization's detail are written by the serializers' own
fields without running the serializers (directory.api.writers); the serializers stay the
one declaration of the JSON. Each test asks the same question of the API as it is and of
DRF's generic list and retrieve actions with the serializers, and expects the same bytes:
same fields in the same order, same links, same filtering, ordering and pages."""

import datetime
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.utils.http import RFC3986_SUBDELIMS
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin

from directory.api.common import LINK_PLACEHOLDER, fill_link
from directory.models import City, FieldOfWork, Organization, OrganizationName, Source
from networks.models import Membership, Network
from tests.factories import make_directory
from tests.helpers import assert_status
from website.records.api import OrganizationViewSet

pytestmark = pytest.mark.django_db

# Questions asked of the fixtures' organizations (and of the records `varied` adds).
QUESTIONS = [
    {},
    {"page_size": 100},
    {"page_size": 7, "page": 2},
    {"page_size": 7, "page": 6},
    {"search": "基金会"},
    {"search": "cango"},
    {"search": "volunteer", "ordering": "-name_en"},
    {"search": "nothing at all"},
    {"ordering": "-founded_on", "page_size": 100},
    {"ordering": "kind,-name_zh", "page_size": 100},
    {"kind": "foundation"},
    {"country": "CN", "city": "beijing", "page_size": 100},
    {"field": "volunteering"},
    {"parent": "beijing-normal-university"},
    {"source": "cdb-2021-international-networks", "page_size": 100},
    {"network": "un-ecosoc-consultative-status"},
    {"membership_role": "consultative_status", "consultative_level": "special"},
    {"member_since_after": "2000-01-01", "ordering": "slug"},
    {"founded_after": "1900-01-01"},
    {"format": "json", "page_size": 100},
    {"format": "csv", "page_size": 100},
    {"format": "csv", "search": "nothing at all"},
]


def answer(client, path, params):
    """A fresh answer: nothing cached by the question asked before."""
    cache.clear()
    response = client.get(path, params)
    assert_status(response, 200)
    return response


def assert_written_as_the_serializer_writes(client, monkeypatch, path, params=None):
    built = answer(client, path, params or {})
    with monkeypatch.context() as serializer_list:
        serializer_list.setattr(OrganizationViewSet, "list", ListModelMixin.list)
        serializer_list.setattr(OrganizationViewSet, "retrieve", RetrieveModelMixin.retrieve)
        specified = answer(client, path, params or {})
    assert built["Content-Type"] == specified["Content-Type"]
    if built["Content-Type"].startswith("application/json"):
        # Compared parsed first, for a readable difference; then as bytes, for the order.
        assert built.json() == specified.json()
    assert built.content.decode() == specified.content.decode()
    return built


@pytest.fixture
def varied(db):
    """Organizations with what the fixtures lack: nothing but a name; partial dates; former
    names; ended memberships; a slug that a link must quote."""
    source = Source.objects.create(
        slug="undated-source",
        title="Undated",
        author="Someone",
        web_address="https://example.org/undated",
    )
    bare = Organization.objects.create(name_zh="空机构", kind="other")
    dated = Organization.objects.create(
        name_en='Dated "Org" <b>',
        kind="ngo",
        country="FR",
        founded_on=datetime.date(1990, 1, 1),
        founded_precision="year",
        website="https://example.org/dated",
        description_en="Founded & dated.",
        parent=bare,
    )
    dated.sources.add(source, Source.objects.get(slug="cdb-2021-international-networks"))
    dated.fields.add(*FieldOfWork.objects.all()[:3])
    for name, end, precision in [
        ("Old name", datetime.date(2001, 1, 1), "year"),
        ("旧名", datetime.date(2005, 6, 1), "month"),
        ("Older name", datetime.date(1999, 12, 31), "day"),
        ("DO", None, "day"),
    ]:
        OrganizationName.objects.create(
            organization=dated,
            name=name,
            end_date=end,
            end_precision=precision,
            language="en",
            kind="former" if end else "abbreviation",
        )
    network = Network.objects.get(slug="un-ecosoc-consultative-status")
    Membership.objects.create(
        organization=dated,
        network=network,
        role="consultative_status",
        level="roster",
        start_date=datetime.date(1995, 3, 1),
        start_precision="month",
        end_date=datetime.date(2002, 1, 1),
        end_precision="year",
    )
    Membership.objects.create(organization=dated, network=network, role="observer")
    Organization.objects.create(
        name_en="Quoted slug",
        slug="测试-quoted",
        kind="ngo",
        city=City.objects.get(slug="beijing"),
        country="CN",
    )
    return dated


@pytest.mark.parametrize("params", QUESTIONS)
def test_the_list_writes_what_the_serializer_writes(anonymous, monkeypatch, varied, params):
    assert_written_as_the_serializer_writes(anonymous, monkeypatch, "/api/organizations/", params)


@pytest.mark.parametrize("suffix", ["json", "csv"])
def test_links_keep_the_format_suffix_asked_for(anonymous, monkeypatch, varied, suffix):
    response = assert_written_as_the_serializer_writes(
        anonymous, monkeypatch, f"/api/organizations.{suffix}", {"page_size": 100}
    )
    if suffix == "json":
        assert response.json()["results"][0]["url"].endswith(f".{suffix}")


def test_records_without_place_parent_or_memberships_are_written_with_nulls_and_lists(
    anonymous, monkeypatch, varied
):
    page = assert_written_as_the_serializer_writes(
        anonymous, monkeypatch, "/api/organizations/", {"search": "空机构"}
    ).json()
    [bare] = page["results"]
    assert (bare["city"], bare["parent"], bare["country"], bare["founded_on"]) == (
        None,
        None,
        "",
        None,
    )
    assert bare["memberships"] == bare["other_names"] == bare["fields"] == []


def test_partial_dates_and_ended_memberships_are_written_to_their_precision(
    anonymous, monkeypatch, varied
):
    page = assert_written_as_the_serializer_writes(
        anonymous, monkeypatch, "/api/organizations/", {"parent": varied.parent.slug}
    ).json()
    [dated] = page["results"]
    assert dated["founded"] == "1990"
    assert {name["name"]: name["used_until"] for name in dated["other_names"]} == {
        "Old name": "2001",
        "旧名": "2005-06",
        "Older name": "1999-12-31",
        "DO": "",
    }
    ended = next(m for m in dated["memberships"] if m["end_date"])
    assert (ended["start"], ended["end"]) == ("1995-03", "2002")


def test_a_generated_directory_is_written_as_the_serializer_writes(anonymous, monkeypatch, db):
    make_directory(30)
    for params in (
        {"search": "gen organization", "page_size": 100},
        {"search": "gen", "ordering": "-slug", "page_size": 25, "page": 2},
        {"network": "gen-hub-network", "page_size": 100},
        {"source": "gen-hub", "field": "volunteering", "page_size": 50},
        {"page_size": 100, "page": 1},
    ):
        assert_written_as_the_serializer_writes(
            anonymous, monkeypatch, "/api/organizations/", params
        )


@pytest.mark.parametrize("suffix", ["/", ".json", "/?format=json", ".csv"])
def test_every_detail_is_written_as_the_serializer_writes(anonymous, monkeypatch, varied, suffix):
    make_directory(5)
    slugs = list(Organization.objects.values_list("slug", flat=True))
    assert len(slugs) > 30
    for slug in slugs:
        assert_written_as_the_serializer_writes(
            anonymous, monkeypatch, f"/api/organizations/{quote(slug)}{suffix}"
        )


def test_an_unknown_detail_is_the_same_404(anonymous, monkeypatch):
    path = "/api/organizations/no-such-organization/"
    built = anonymous.get(path)
    with monkeypatch.context() as serializer_detail:
        serializer_detail.setattr(OrganizationViewSet, "retrieve", RetrieveModelMixin.retrieve)
        specified = anonymous.get(path)
    assert_status(built, 404)
    assert built.json() == specified.json()


def test_the_schema_still_documents_the_list_with_the_serializer(anonymous):
    schema = anonymous.get("/api/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/organizations/"]["get"]
    page = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert page == {"$ref": "#/components/schemas/PaginatedOrganizationList"}
    results = schema["components"]["schemas"]["PaginatedOrganizationList"]["properties"]
    assert results["results"]["items"] == {"$ref": "#/components/schemas/Organization"}
    assert listing["description"] == OrganizationViewSet.__doc__


@pytest.mark.parametrize(
    "value", ["cango", "a-b_c.d~e", "42", "", "北京", "a b", "a/b", "50%", "x?y#z", "Ünïcode-slug"]
)
def test_a_link_is_filled_as_reverse_quotes_its_value(value):
    template = f"/api/organizations/{LINK_PLACEHOLDER}/"
    expected = f"/api/organizations/{quote(value, safe=RFC3986_SUBDELIMS + '/~:@')}/"
    assert fill_link(template, value) == expected


def test_a_field_that_needs_the_request_or_its_serializer_is_refused_not_written_wrongly():
    from directory.api.writers import RecordWriter
    from networks.api.serializers import NetworkDetailSerializer

    with pytest.raises(TypeError, match=r"NetworkDetailSerializer\.all_memberships"):
        RecordWriter(NetworkDetailSerializer)
