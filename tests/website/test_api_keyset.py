"""Keyset pages (`?pagination=keyset`, then the links' `cursor`) walk a whole list in the
order numbered pages give it, forward and back, with its filters and orderings; records
inserted or deleted during the walk make it skip or repeat none of the others; malformed
requests are a 400 naming the field."""

import base64
import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve

from directory.models import Organization
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

LISTS = [
    "organizations",
    "people",
    "positions",
    "sources",
    "networks",
    "memberships",
    "programs",
    "events",
    "sessions",
    "talks",
    "committee-sessions",
    "decisions",
    "votes",
]


def get(client, address, **params):
    response = client.get(address, params)
    assert_status(response, 200)
    return response.json()


def key(record):
    return record.get("url") or record["id"]


def page_walk(client, endpoint, **params):
    page = get(client, f"/api/{endpoint}/", **params)
    records = page["results"]
    while page["next"]:
        page = get(client, page["next"])
        records += page["results"]
    return [key(record) for record in records]


def keyset_walk(client, endpoint, **params):
    """Every page's records, and every page's answer, following `next` from the first."""
    pages = [get(client, f"/api/{endpoint}/", pagination="keyset", **params)]
    while pages[-1]["next"]:
        pages.append(get(client, pages[-1]["next"]))
    return [key(record) for page in pages for record in page["results"]], pages


def back_walk(client, page):
    """The records of the pages before `page`, following `previous`, in list order."""
    records = []
    while page["previous"]:
        page = get(client, page["previous"])
        records = [key(record) for record in page["results"]] + records
    return records


def orderings(endpoint):
    fields = resolve(f"/api/{endpoint}/").func.cls.ordering_fields
    return [None, *fields, *(f"-{field}" for field in fields)]


def test_keyset_pages_walk_the_organizations_as_numbered_pages_do(anonymous):
    walked, pages = keyset_walk(anonymous, "organizations", page_size=4)
    assert len(pages) > 2
    assert walked == page_walk(anonymous, "organizations", page_size=4)
    assert len(walked) == len(set(walked)) == Organization.objects.count()
    # The same object as numbered pages: the selection's count on every page.
    assert all(set(page) == {"count", "next", "previous", "results"} for page in pages)
    assert {page["count"] for page in pages} == {len(walked)}
    assert pages[0]["previous"] is None
    assert all("cursor=" in page["next"] for page in pages[:-1])


def test_previous_links_walk_back_to_the_first_page(anonymous):
    walked, pages = keyset_walk(anonymous, "organizations", page_size=3)
    last = pages[-1]
    assert back_walk(anonymous, last) + [key(record) for record in last["results"]] == walked
    # Back at the first page, there is none before it, and its next page is the second.
    first = get(anonymous, pages[1]["previous"])
    assert first["results"] == pages[0]["results"]
    assert first["previous"] is None
    assert get(anonymous, first["next"])["results"] == pages[1]["results"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_every_list_walks_in_each_of_its_orderings_as_numbered_pages_do(anonymous, endpoint):
    for ordering in orderings(endpoint):
        params = {"page_size": 3, **({"ordering": ordering} if ordering else {})}
        expected = page_walk(anonymous, endpoint, **params)
        walked, pages = keyset_walk(anonymous, endpoint, **params)
        assert walked == expected, ordering
        assert back_walk(anonymous, pages[-1]) == walked[: len(walked) - len(pages[-1]["results"])]


def test_founding_order_with_empty_dates_walks_both_ways(anonymous):
    # Some organizations have no founding date: they come where the database puts them in
    # numbered pages, and keyset pages put them there too. Others share theirs.
    dated = Organization.objects.order_by("slug")[::2]
    for number, organization in enumerate(dated):
        organization.founded_on = datetime.date(1990 + number % 3, 1, 1)
        organization.save()
    assert Organization.objects.filter(founded_on__isnull=True).count() > 3
    for ordering in ("founded_on", "-founded_on"):
        walked, pages = keyset_walk(anonymous, "organizations", ordering=ordering, page_size=2)
        assert walked == page_walk(anonymous, "organizations", ordering=ordering, page_size=2)
        assert (
            back_walk(anonymous, pages[-1]) + [key(record) for record in pages[-1]["results"]]
            == walked
        )


def test_filters_and_name_order_combine_with_keyset_pages(anonymous):
    for params in (
        {"ordering": "sort_key_zh"},
        {"ordering": "-sort_key_en"},
        {"country": "CN", "ordering": "sort_key_zh"},
        {"search": "china", "ordering": "sort_key_en"},
        {"kind": "ngo"},
    ):
        walked, pages = keyset_walk(anonymous, "organizations", page_size=2, **params)
        assert walked == page_walk(anonymous, "organizations", page_size=2, **params), params
        assert walked, params
        assert {page["count"] for page in pages} == {len(walked)}
        # The links keep the filters.
        for page in pages[:-1]:
            kept = parse_qs(urlsplit(page["next"]).query)
            assert {name: [value] for name, value in params.items()}.items() <= kept.items()


def make_organization(slug, name):
    return Organization.objects.create(slug=slug, name_en=name, kind="ngo", country="CN")


@pytest.mark.parametrize("ordering", [None, "sort_key_zh", "sort_key_en", "-name_en"])
def test_records_inserted_during_a_walk_make_it_skip_or_repeat_none(anonymous, ordering):
    params = {"page_size": 3, **({"ordering": ordering} if ordering else {})}
    # Names that differ only by punctuation share their sort keys: ties broken by id.
    for number in range(4):
        make_organization(f"twin-{number}", "Twin Society" + "!" * number)
    before = page_walk(anonymous, "organizations", **params)
    pages = [get(anonymous, "/api/organizations/", pagination="keyset", **params)]
    inserted = 0
    while pages[-1]["next"]:
        # At every page, records before the walk's place, after it, and among the twins.
        inserted += 1
        make_organization(f"aaa-inserted-{inserted}", f"Aaa Inserted {inserted}")
        make_organization(f"zzz-inserted-{inserted}", f"Zzz Inserted {inserted}")
        make_organization(f"twin-inserted-{inserted}", "Twin Society" + "?" * inserted)
        pages.append(get(anonymous, pages[-1]["next"]))
    walked = [key(record) for page in pages for record in page["results"]]
    assert inserted > 3
    assert len(walked) == len(set(walked)), "no record is given twice"
    there = set(before)
    assert [address for address in walked if address in there] == before, (
        "every record there at the start is given once, in order"
    )


def test_deleted_records_make_a_walk_skip_none_of_the_others(anonymous):
    for letter in "abcd":
        make_organization(f"0000-{letter}", f"First {letter}")
    before = page_walk(anonymous, "organizations", page_size=3)
    first = get(anonymous, "/api/organizations/", pagination="keyset", page_size=3)
    # The last record of the page, whose position the cursor holds, is gone.
    assert first["results"][-1]["slug"] == "0000-c"
    Organization.objects.filter(slug="0000-c").delete()
    before.remove(first["results"][-1]["url"])
    walked, _pages = keyset_walk(anonymous, "organizations", cursor=cursor_of(first["next"]))
    assert [key(record) for record in first["results"][:-1]] + walked == before


def cursor_of(link):
    return parse_qs(urlsplit(link).query)["cursor"][0]


def test_a_cursor_alone_asks_for_keyset_pages(anonymous):
    first = get(anonymous, "/api/organizations/", pagination="keyset", page_size=2)
    second = get(anonymous, "/api/organizations/", cursor=cursor_of(first["next"]), page_size=2)
    assert second["results"] == get(anonymous, first["next"])["results"]
    assert "pagination=" not in second["next"]


def test_numbered_pages_stay_the_default(anonymous):
    page = get(anonymous, "/api/organizations/", page_size=2)
    assert "page=2" in page["next"] and "cursor" not in page["next"]
    asked = get(anonymous, "/api/organizations/", pagination="page", page_size=2)
    assert asked["results"] == page["results"] and "page=2" in asked["next"]


def forged(position, reverse=False):
    text = f"p={position}" + ("&r=1" if reverse else "")
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"pagination": "keyset", "page": "2"}, "page"),
        ({"cursor": forged('["slug","cango"]'), "page": "1"}, "page"),
        ({"pagination": "offset"}, "pagination"),
        ({"pagination": "page", "cursor": forged('["slug","cango"]')}, "cursor"),
        ({"cursor": "not a cursor!"}, "cursor"),
        ({"cursor": "%%%"}, "cursor"),
        ({"cursor": forged("not json")}, "cursor"),
        ({"cursor": forged('{"slug":"cango"}')}, "cursor"),
        ({"cursor": forged('["slug"]')}, "cursor"),
        ({"cursor": forged('["slug",null]')}, "cursor"),
        ({"cursor": forged('["slug","cango","extra"]')}, "cursor"),
        # A cursor of another ordering.
        ({"cursor": forged('["slug","cango"]'), "ordering": "sort_key_zh"}, "cursor"),
        (
            {"cursor": forged('["founded_on,pk","not a date",1]'), "ordering": "founded_on"},
            "cursor",
        ),
        ({"cursor": forged('["sort_key_zh,pk","a","one"]'), "ordering": "sort_key_zh"}, "cursor"),
        ({"cursor": base64.b64encode(b"o=5&p=x").decode()}, "cursor"),
        ({"pagination": "keyset", "page_size": "0"}, "page_size"),
        ({"pagination": "keyset", "ordering": "unknown"}, "ordering"),
    ],
)
def test_malformed_keyset_requests_are_a_400_naming_the_field(anonymous, params, field):
    response = anonymous.get("/api/organizations/", params)
    assert_status(response, 400)
    assert list(response.json()) == [field]


def test_a_forged_cursor_of_the_right_shape_reads_on_from_its_place(anonymous):
    page = get(anonymous, "/api/organizations/", cursor=forged('["slug","cango"]'))
    assert page["results"] and all(record["slug"] > "cango" for record in page["results"])


def test_a_malformed_cursor_is_refused_in_chinese_when_asked(anonymous):
    response = anonymous.get(
        "/api/organizations/", {"cursor": "nonsense!"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert_status(response, 400)
    assert not response.json()["cursor"][0].isascii()


def test_an_ordering_keyset_pages_cannot_follow_is_refused():
    from rest_framework.exceptions import ValidationError
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from directory.api.keyset import KeysetPagination

    request = Request(APIRequestFactory().get("/api/organizations/"))
    # A relation's own ordering, a random order, a field of many related records.
    for ordering in (["city"], ["?"], ["fields__slug"]):
        queryset = Organization.objects.order_by(*ordering)
        with pytest.raises(ValidationError) as refused:
            KeysetPagination(2).paginate_queryset(queryset, request)
        assert list(refused.value.detail) == ["ordering"]


def test_the_browsable_api_shows_keyset_page_links(anonymous):
    response = anonymous.get(
        "/api/organizations/", {"pagination": "keyset", "page_size": 2}, HTTP_ACCEPT="text/html"
    )
    assert_status(response, 200)
    assert "cursor=" in response.content.decode()


def test_every_list_declares_keyset_pages_in_the_schema(anonymous):
    schema = get(anonymous, "/api/schema/", format="json")
    for endpoint in LISTS:
        operation = schema["paths"][f"/api/{endpoint}/"]["get"]
        parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
        assert {"page", "page_size"} <= set(parameters)
        assert parameters["pagination"]["schema"]["enum"] == ["page", "keyset"]
        assert parameters["cursor"]["schema"] == {"type": "string"}
        # One answer for both: the same object.
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        component = schema["components"]["schemas"][answer["$ref"].split("/")[-1]]
        assert set(component["properties"]) == {"count", "next", "previous", "results"}
