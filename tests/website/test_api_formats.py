"""CSV for every list, Popolo JSON valid against the Popolo schemas, an OpenAPI schema that
validates, docs served from installed packages, and throttling of anonymous clients."""

import csv
import io
import json
import re
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from directory.models import Organization, OrganizationName
from tests.helpers import assert_status, shared_path
from tests.website.test_api_read import LISTS

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not response.content.startswith(b"\xef\xbb\xbf"), "CSV must not start with a BOM"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.parametrize("endpoint", LISTS)
def test_every_list_is_available_as_csv(anonymous, endpoint):
    response = anonymous.get(f"/api/{endpoint}/", {"format": "csv", "page_size": 100})
    assert_status(response, 200)
    rows = read_csv(response)
    assert len(rows) == anonymous.get(f"/api/{endpoint}/", {"page_size": 100}).json()["count"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_the_browsable_api_renders_its_forms_for_editors(superuser_client, endpoint):
    response = superuser_client.get(f"/api/{endpoint}/", headers={"Accept": "text/html"})
    assert_status(response, 200)
    assert "<form" in response.text


def test_csv_keeps_chinese_and_flattens_related_records(anonymous):
    # A second other name, made up for the test (no fixture organization has two and a city).
    bclarc = Organization.objects.get(slug="bclarc")
    OrganizationName.objects.create(
        organization=bclarc, name="测试用别名", language="zh", kind="alias"
    )
    rows = read_csv(anonymous.get("/api/organizations/", {"format": "csv", "search": "BCLARC"}))
    assert len(rows) == 1
    row = rows[0]
    assert row["name_zh"] == "北京青少年法律援助与研究中心"
    assert row["city"] == "beijing"
    assert set(row["other_names"].split("; ")) == {"BCLARC", "测试用别名"}
    assert row["sources"] == "cdb-2021-international-networks"


def test_a_csv_page_names_related_records_and_links_to_json(anonymous):
    """Memberships by the network's slug and level, not by their ids; each record's address
    leads to the record, not to more CSV; the page's count and the other pages are in
    headers, since the body holds only the rows."""
    response = anonymous.get("/api/organizations/", {"format": "csv", "page_size": 5})
    rows = read_csv(response)
    count = anonymous.get("/api/organizations/", {"page_size": 5}).json()["count"]
    assert response["X-Total-Count"] == str(count) and count > 5
    [link] = response["Link"].split(", ")
    assert link.startswith("<http://testserver/api/organizations/?") and link.endswith(
        '>; rel="next"'
    )
    assert "format=csv" in link and "page=2" in link
    assert all("format" not in row["url"] for row in rows)
    assert rows[0]["url"] == f"http://testserver/api/organizations/{rows[0]['slug']}/"

    cyva = read_csv(anonymous.get("/api/organizations/cyva/", {"format": "csv"}))
    memberships = cyva[0]["memberships"].split("; ")
    assert "un-ecosoc-consultative-status (consultative_status, special)" in memberships

    second = anonymous.get(link.removeprefix("<").split(">")[0])
    assert 'rel="prev"' in second["Link"]
    assert [row["slug"] for row in read_csv(second)] == [
        record["slug"]
        for record in anonymous.get("/api/organizations/", {"page_size": 5, "page": 2}).json()[
            "results"
        ]
    ]


@pytest.mark.parametrize("endpoint", LISTS)
def test_an_editors_options_as_csv_are_written_not_a_500(editor, endpoint):
    """OPTIONS describes the fields a write takes (DRF's metadata), nested dictionaries whose
    "slug" is a field's description, not a record's slug: written as CSV all the same."""
    response = editor.options(f"/api/{endpoint}/?format=csv")
    assert_status(response, 200)
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_a_record_as_csv_links_to_its_json(anonymous):
    rows = read_csv(anonymous.get("/api/organizations/cyva/", {"format": "csv"}))
    assert [row["url"] for row in rows] == ["http://testserver/api/organizations/cyva/"]


def test_csv_of_an_empty_list_still_has_its_header(anonymous):
    response = anonymous.get("/api/organizations/", {"format": "csv", "search": "nothing at all"})
    header = response.content.decode("utf-8").splitlines()
    assert header[0].startswith("url,slug,name_zh,name_en")
    assert len(header) == 1


@pytest.fixture(scope="module")
def popolo_registry():
    resources = []
    for path in shared_path("popolo", "schemas").glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(schema, default_specification=DRAFT3)
        resources.append((schema["id"], resource))
    return Registry().with_resources(resources)


def popolo_validator(registry, name):
    schema = registry.contents(f"http://www.popoloproject.com/schemas/{name}.json#")
    return Draft3Validator(schema, registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER)


def popolo(client):
    """The Popolo document, as it is streamed."""
    response = client.get("/api/popolo.json")
    assert_status(response, 200)
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


def test_popolo_export_validates_against_the_popolo_schemas(anonymous, popolo_registry):
    document = popolo(anonymous)
    kinds = {
        "persons": "person",
        "organizations": "organization",
        "memberships": "membership",
        "events": "event",
        "speeches": "speech",
    }
    for collection, schema in kinds.items():
        validator = popolo_validator(popolo_registry, schema)
        assert document[collection], f"no {collection} in the export"
        for item in document[collection]:
            errors = sorted(validator.iter_errors(item), key=str)
            assert not errors, f"{collection} {item.get('id')}: {errors[0].message}"


def as_json_schema(schema):
    """An OpenAPI 3.0 schema as JSON Schema: `nullable` becomes a "null" type, and every
    object refuses properties it does not declare (so that the declaration is whole)."""
    if isinstance(schema, list):
        return [as_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: as_json_schema(value) for key, value in schema.items() if key != "nullable"}
    if "$ref" in converted:
        converted["$ref"] = converted["$ref"].replace("#/components/schemas/", "#/$defs/")
    if schema.get("type") == "object" and "properties" in schema:
        converted.setdefault("additionalProperties", False)
    if schema.get("nullable") and "type" in schema:
        converted["type"] = [schema["type"], "null"]
    elif schema.get("nullable"):
        converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def test_popolo_export_is_what_the_openapi_schema_declares(anonymous):
    """The whole export, every item of each list, validates against the schema's
    PopoloDocument: the fields it declares, their types, and no other."""
    from jsonschema import Draft202012Validator

    schema = anonymous.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/popolo.json"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PopoloDocument"
    }
    components = as_json_schema(schema["components"]["schemas"])
    validator = Draft202012Validator({"$ref": "#/$defs/PopoloDocument", "$defs": components})
    document = popolo(anonymous)
    assert all(document[name] for name in ("persons", "organizations", "memberships"))
    errors = [
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)
    ]
    assert errors == []
    document["speeches"][0]["position"] = "first"
    document["persons"][0]["undeclared"] = 1
    assert len(list(validator.iter_errors(document))) == 2


def test_popolo_export_keeps_sources_identifiers_and_other_names(anonymous):
    document = popolo(anonymous)
    cango = next(o for o in document["organizations"] if o["id"] == "organization/cango")
    assert {"民促会"} <= {n["name"] for n in cango["other_names"]}
    bclarc = next(o for o in document["organizations"] if o["id"] == "organization/bclarc")
    assert {"BCLARC"} <= {n["name"] for n in bclarc["other_names"]}
    assert cango["sources"][0]["url"].endswith("/api/sources/cdb-2021-international-networks/")
    ids = {item["id"] for items in document.values() for item in items}
    for membership in document["memberships"]:
        assert membership["organization_id"] in ids
        member = membership.get("person_id") or membership["member"]["id"]
        assert member in ids
    for speech in document["speeches"]:
        assert {speech["creator_id"], speech["event_id"]} <= ids


def test_popolo_is_read_in_batches_and_written_in_pieces(anonymous, monkeypatch):
    whole = popolo(anonymous)
    from website.api import popolo as export

    monkeypatch.setattr(export, "RECORDS_READ", 3)
    monkeypatch.setattr(export, "FLUSH_BYTES", 1)
    response = anonymous.get("/api/popolo.json")
    pieces = list(response.streaming_content)
    assert len(pieces) > len(whole["organizations"])
    assert json.loads(b"".join(pieces)) == whole


def test_popolo_identifiers_appear_when_an_organization_has_them(anonymous):
    from directory.models import Identifier, Organization

    Identifier.objects.create(
        organization=Organization.objects.get(slug="cango"), scheme="wikidata", value="Q4200001"
    )
    document = popolo(anonymous)
    cango = next(o for o in document["organizations"] if o["id"] == "organization/cango")
    assert cango["identifiers"] == [{"scheme": "wikidata", "identifier": "Q4200001"}]


def test_openapi_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    schema = (tmp_path / "schema.yaml").read_text(encoding="utf-8")
    assert "/api/organizations/" in schema
    assert "consultative_level" in schema, "filters must appear in the schema"


def test_schema_endpoint_serves_openapi(anonymous):
    response = anonymous.get("/api/schema/", {"format": "json"})
    assert_status(response, 200)
    assert response.json()["openapi"].startswith("3.")


def test_docs_are_served_without_any_outside_request(client):
    response = client.get("/api/docs/")
    assert_status(response, 200)
    page = response.content.decode("utf-8")
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert addresses, "the docs page loads its scripts"
    assert all(address.startswith("/") for address in addresses), addresses
    for address in addresses:
        if address.startswith("/static/"):
            assert_status(client.get(address), 200)


def test_anonymous_clients_are_throttled(anonymous, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    cache.clear()
    statuses = [anonymous.get("/api/networks/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    cache.clear()


def test_the_anonymous_rate_says_when_to_retry_and_opens_again(anonymous, settings):
    settings.API_ANONYMOUS_RATE = "2/second"
    cache.clear()
    answers = [anonymous.get("/api/networks/") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[-1]["Retry-After"] == "1"
    time.sleep(1.1)
    assert anonymous.get("/api/networks/").status_code == 200
    cache.clear()


def test_editors_are_not_held_by_the_anonymous_rate(editor, settings):
    settings.API_ANONYMOUS_RATE = "1/minute"
    cache.clear()
    statuses = {editor.get("/api/networks/").status_code for _ in range(3)}
    assert statuses == {200}
    cache.clear()


def test_the_popolo_validator_rejects_a_malformed_item(popolo_registry):
    validator = popolo_validator(popolo_registry, "organization")
    broken = {
        "id": "organization/x",
        "founding_date": "April 2021",
        "sources": [{"note": "a link without its url"}],
    }
    messages = {error.message for error in validator.iter_errors(broken)}
    assert any("April 2021" in message for message in messages)
    assert any("url" in message for message in messages)
