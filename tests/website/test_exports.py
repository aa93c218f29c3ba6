"""Exports of a list's whole filtered selection (directory.api.exports): every record, in
the list's order, as the list writes it, streamed in batches; and the list pages' links to
them."""

import csv
import html
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.api.exports import Exported
from tests.factories import make_committee
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

# list: search text that selects more of the generated directory than one API page
EXPORTS = {
    "organizations": "gen organization",
    "people": "gen person",
    "sources": "gen source",
    "networks": "gen network",
    "memberships": "gen network",
    "programs": "gen program",
    "events": "gen event",
    "positions": "gen person",
    "sessions": "gen event",
    "talks": "gen person",
    "participations": "gen event",
}
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def generated(generated_directory, db):
    return generated_directory


def body(response):
    assert response.streaming, "an export is streamed"
    return b"".join(response.streaming_content)


def export_lines(client, endpoint, params):
    response = client.get(f"/api/{endpoint}/export.jsonl", params)
    assert_status(response, 200)
    assert response["Content-Type"] == "application/x-ndjson"
    return [json.loads(line) for line in body(response).decode().splitlines()]


def export_rows(client, endpoint, params):
    response = client.get(f"/api/{endpoint}/export.csv", params)
    assert_status(response, 200)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = body(response)
    assert content.startswith(BOM), "Excel reads UTF-8 only after a byte-order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def listed(client, endpoint, params):
    """The list API's records for these parameters, every page of them."""
    records, page = [], 1
    while page:
        response = client.get(f"/api/{endpoint}/", {**params, "page": page, "page_size": 20})
        assert_status(response, 200)
        records += response.json()["results"]
        page = page + 1 if response.json()["next"] else None
    return records


@pytest.mark.parametrize("endpoint", EXPORTS)
def test_json_lines_hold_every_record_of_the_selection_as_the_list_does(
    anonymous, generated, endpoint
):
    params = {"search": EXPORTS[endpoint]}
    expected = listed(anonymous, endpoint, params)
    assert len(expected) > 20, "more records than one page of the list"
    assert export_lines(anonymous, endpoint, params) == expected


@pytest.mark.parametrize("endpoint", EXPORTS)
def test_csv_has_a_row_for_every_record_in_the_lists_order(anonymous, generated, endpoint):
    params = {"search": EXPORTS[endpoint]}
    expected = listed(anonymous, endpoint, params)
    header, *rows = export_rows(anonymous, endpoint, params)
    assert header == list(expected[0])
    assert len(rows) == len(expected)
    assert all(len(row) == len(header) for row in rows)
    if "url" in header:
        urls = [row[header.index("url")] for row in rows]
        assert urls == [record["url"] for record in expected]


def test_csv_has_the_same_columns_for_an_empty_selection(anonymous, generated):
    header, *rows = export_rows(anonymous, "organizations", {"search": EXPORTS["organizations"]})
    empty = export_rows(anonymous, "organizations", {"search": "no such organization at all"})
    assert empty == [header]
    assert rows


def test_the_lists_ordering_orders_the_export(anonymous, generated):
    params = {"search": "gen organization", "ordering": "-name_en"}
    lines = export_lines(anonymous, "organizations", params)
    names = [line["name_en"] for line in lines]
    assert names == sorted(names, reverse=True)
    assert lines == listed(anonymous, "organizations", params)


def test_filters_select_what_the_list_selects(anonymous, generated):
    params = {"search": "gen organization", "kind": "ngo", "country": "CN"}
    lines = export_lines(anonymous, "organizations", params)
    assert lines == listed(anonymous, "organizations", params)
    assert {line["kind"] for line in lines} == {"ngo"}


def test_csv_names_related_records_by_slug(anonymous, generated):
    header, *rows = export_rows(anonymous, "memberships", {"search": "gen network"})
    lines = export_lines(anonymous, "memberships", {"search": "gen network"})
    for row, line in zip(rows, lines, strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["organization"] == line["organization"]["slug"]
        assert cells["network"] == line["network"]["slug"]
    header, *rows = export_rows(anonymous, "organizations", {"search": "gen organization"})
    lines = export_lines(anonymous, "organizations", {"search": "gen organization"})
    for row, line in zip(rows, lines, strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["city"] == line["city"]["slug"]
        # A membership: the network it joins, with the organization's role in it.
        assert cells["memberships"] == "; ".join(
            f"{m['network']['slug']} ({', '.join(filter(None, [m['role'], m['level']]))})"
            for m in line["memberships"]
        )
        assert cells["memberships"]
        assert not re.search(r"(^|; )\d+($|;)", cells["memberships"]), "no bare ids"


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_links_carry_no_format(anonymous, generated, suffix):
    for address, params in [
        (f"/api/people/export.{suffix}", {"search": "gen person"}),
        ("/api/people/export/", {"search": "gen person", "format": suffix}),
    ]:
        response = anonymous.get(address, params)
        assert_status(response, 200)
        content = body(response).decode("utf-8-sig")
        assert "/api/people/gen-person" in content
        assert "format=" not in content
        assert ".csv" not in content.replace("export.csv", "")
        assert response["Content-Disposition"] == f'attachment; filename="person-export.{suffix}"'


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
@pytest.mark.parametrize(
    "params, field",
    [
        ({"founded_after": "not a date"}, "founded_after"),
        ({"ordering": "no_such_field"}, "ordering"),
        ({"kind": "no-such-kind"}, "kind"),
    ],
)
def test_malformed_filters_are_a_400_in_json(anonymous, suffix, params, field):
    response = anonymous.get(f"/api/organizations/export.{suffix}", params)
    assert_status(response, 400)
    assert not response.streaming
    assert response["Content-Type"] == "application/json"
    assert field in response.json()


@pytest.mark.parametrize("endpoint", ["decisions", "votes"])
def test_the_committees_records_export_too(anonymous, endpoint):
    make_committee(24)
    params = {"ordering": "-session__date"}
    lines = export_lines(anonymous, endpoint, params)
    assert len(lines) > 20, "more records than one page of the list"
    assert lines == listed(anonymous, endpoint, params)
    header, *rows = export_rows(anonymous, endpoint, params)
    organizations = [row[header.index("organization")] for row in rows]
    assert organizations == [(line["organization"] or {}).get("slug", "") for line in lines]
    # Votes are written by their serializer (a method field): their links carry no format
    # either.
    response = anonymous.get(f"/api/{endpoint}/export/", {**params, "format": "jsonl"})
    assert "format=" not in body(response).decode()


def test_the_committees_sessions_export_too(anonymous):
    make_committee(24)
    lines = export_lines(anonymous, "committee-sessions", {})
    assert lines and lines == listed(anonymous, "committee-sessions", {})
    header, *rows = export_rows(anonymous, "committee-sessions", {})
    assert [row[header.index("date")] for row in rows] == [line["date"] for line in lines]


# list: queries for the ids (one cursor), then for each batch of records
EXPORT_QUERIES = {
    # organizations with city and parent; other names; fields; memberships with their
    # networks; sources (directory.api.writers.RowWriter)
    "organizations": 5,
    # people; positions; their organizations; their sources; sources
    "people": 5,
    # sources with publisher
    "sources": 1,
    # networks with member count and secretariat; sources
    "networks": 2,
    # memberships with organization and network; sources
    "memberships": 2,
    # programs with network, parent and launch event; roles; their organizations; sources
    "programs": 4,
    # events with city; sources
    "events": 2,
    # positions with person and organization; sources
    "positions": 2,
    # sessions with event; talks; speakers; speakers' organizations; sources
    "sessions": 5,
    # talks with session, event, speaker and organization; sources
    "talks": 2,
    # participations with event and organization; sources
    "participations": 2,
}


@pytest.mark.parametrize("endpoint", EXPORT_QUERIES)
def test_queries_grow_with_the_batches_not_the_records(anonymous, generated, endpoint, monkeypatch):
    search = EXPORTS[endpoint]
    count = len(listed(anonymous, endpoint, {"search": search}))
    for batch in (count, 10):
        monkeypatch.setattr(Exported, "export_batch", batch)
        batches = -(-count // batch)
        with CaptureQueriesContext(connection) as queries:
            response = anonymous.get(f"/api/{endpoint}/export.jsonl", {"search": search})
            lines = body(response).splitlines()
        assert len(lines) == count
        assert len(queries) == 1 + batches * EXPORT_QUERIES[endpoint], [
            query["sql"][:120] for query in queries
        ]


# list page: (its API list, filters that select more than a page of it)
LIST_PAGES = {
    "organization-list-page": ("organizations", {"search": "gen organization", "kind": "ngo"}),
    "person-list-page": ("people", {"search": "gen person"}),
    "network-list-page": ("networks", {"search": "gen network", "kind": "platform"}),
    "program-list-page": ("programs", {"search": "gen program"}),
    "event-list-page": ("events", {"search": "gen event"}),
}
DOWNLOAD = re.compile(r'<p class="downloads">.*?href="([^"]+)".*?href="([^"]+)"', re.S)


@pytest.mark.parametrize("page_name", LIST_PAGES)
@pytest.mark.parametrize("sort", ["", "name"])
def test_list_pages_link_to_the_export_of_what_they_show(anonymous, generated, page_name, sort):
    endpoint, filters = LIST_PAGES[page_name]
    params = {**filters, "page": 2, **({"sort": sort} if sort else {})}
    response = anonymous.get(reverse(page_name), params)
    assert_status(response, 200)
    csv_link, jsonl_link = (
        html.unescape(link) for link in DOWNLOAD.search(response.content.decode()).groups()
    )
    for link, suffix in ((csv_link, "csv"), (jsonl_link, "jsonl")):
        address = urlsplit(link)
        assert address.path == f"/api/{endpoint}/export.{suffix}"
        query = parse_qs(address.query)
        assert {name: query[name] for name in filters} == {
            name: [value] for name, value in filters.items()
        }
        assert "page" not in query
    exported = [json.loads(line) for line in body(anonymous.get(jsonl_link)).splitlines()]
    page = response.context["page"]
    assert len(exported) == page.paginator.count > len(page.object_list)
    shown = [record.slug for record in page.object_list]
    assert [record["slug"] for record in exported][page.start_index() - 1 : page.end_index()] == (
        shown
    )


def test_a_list_page_with_malformed_filters_offers_no_download(anonymous):
    response = anonymous.get(reverse("organization-list-page"), {"founded_after": "never"})
    assert_status(response, 400)
    assert 'class="downloads"' not in response.content.decode()


def test_the_schema_declares_each_export_with_its_content_types(anonymous):
    schema = anonymous.get("/api/schema/", {"format": "json"}).json()
    for endpoint in [*EXPORTS, "decisions", "votes"]:
        operation = schema["paths"][f"/api/{endpoint}/export/"]["get"]
        content = operation["responses"]["200"]["content"]
        assert set(content) == {"text/csv", "application/x-ndjson"}
        assert content["application/x-ndjson"]["schema"]["type"] == "array"
        parameters = {parameter["name"] for parameter in operation["parameters"]}
        assert {"search", "ordering", "format"} <= parameters
        assert not {"page", "page_size"} & parameters
        for code in ("400", "406"):
            assert "application/json" in operation["responses"][code]["content"]


def test_an_export_asked_for_in_json_is_a_406_in_json(anonymous):
    response = anonymous.get("/api/organizations/export/", headers={"Accept": "application/json"})
    assert_status(response, 406)
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
