"""The schema as a client generator meets it: the same on every machine whatever the
caller's language, English identifiers, anonymous reads declared without credentials,
writes with a bearer token that works; errors in English unless the client asks."""

import re

import pytest
from rest_framework.authtoken.models import Token

from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

ASCII = re.compile(r"^[\x00-\x7f]*$")
READS = {"get", "head"}


@pytest.fixture
def schema(anonymous):
    response = anonymous.get("/api/schema/", {"format": "json"})
    assert_status(response, 200)
    return response.json()


@pytest.mark.parametrize("language", ["zh-hans", "zh-CN,zh;q=0.9", "en", "fr"])
def test_the_schema_is_the_same_whatever_the_language_asked(anonymous, language):
    plain = anonymous.get("/api/schema/", {"format": "json"})
    asked = anonymous.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE=language)
    assert asked.content == plain.content
    assert asked["Content-Language"] == "en"


def identifiers(schema):
    """Every name a generator turns into code: component and property names, operation
    ids, parameter names, enum values, titles."""
    names = list(schema["components"]["schemas"])
    for component in schema["components"]["schemas"].values():
        names += list(component.get("properties", {}))
        names += [str(value) for value in component.get("enum", [])]
        names += [prop.get("title", "") for prop in component.get("properties", {}).values()]
    for operations in schema["paths"].values():
        for operation in operations.values():
            names.append(operation["operationId"])
            for parameter in operation.get("parameters", []):
                names.append(parameter["name"])
                names += [str(value) for value in parameter["schema"].get("enum", [])]
                names.append(parameter["schema"].get("title", ""))
    return names


def test_every_identifier_is_english(schema):
    names = identifiers(schema)
    assert "country" in names and "CN" in names
    assert [name for name in names if not ASCII.match(name)] == []


def test_country_filters_list_the_codes_named_in_english(schema):
    [member_state] = [
        parameter
        for parameter in schema["paths"]["/api/votes/"]["get"]["parameters"]
        if parameter["name"] == "member_state"
    ]
    assert "CN" in member_state["schema"]["enum"]
    assert "* `CN` - China" in member_state["description"]


def test_reads_declare_no_credentials_and_writes_a_bearer_token(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearerAuth"]["description"],
    }
    operations = [
        (method, operation)
        for operations in schema["paths"].values()
        for method, operation in operations.items()
    ]
    assert {method for method, _operation in operations} >= {"get", "post", "patch", "delete"}
    for method, operation in operations:
        if method in READS:
            assert operation["security"] == [], operation["operationId"]
        else:
            assert {"bearerAuth": []} in operation["security"], operation["operationId"]
            assert {} not in operation["security"], operation["operationId"]


def test_a_bearer_token_writes_as_drf_s_token_does(anonymous, editor_user):
    token = Token.objects.create(user=editor_user)
    for keyword in ("Bearer", "Token"):
        anonymous.credentials(HTTP_AUTHORIZATION=f"{keyword} {token.key}")
        response = anonymous.patch(
            "/api/organizations/cango/", {"description_en": f"By {keyword}"}, format="json"
        )
        assert_status(response, 200)
        assert response.json()["description_en"] == f"By {keyword}"
    anonymous.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = anonymous.patch("/api/organizations/cango/", {"description_en": "x"}, format="json")
    assert_status(response, 401)


def test_errors_are_english_unless_the_client_asks_for_chinese(anonymous):
    response = anonymous.get("/api/organizations/", {"founded_after": "soon"})
    assert_status(response, 400)
    assert response["Content-Language"] == "en"
    assert response.json() == {"founded_after": ["Enter a valid date."]}
    chinese = anonymous.get(
        "/api/organizations/", {"founded_after": "soon"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert_status(chinese, 400)
    assert chinese["Content-Language"] == "zh-hans"
    assert chinese.json() == {"founded_after": ["输入一个有效的日期。"]}
    assert "Accept-Language" in response["Vary"]


def test_redirects_and_throttling_declare_their_headers(schema):
    moved = schema["paths"]["/api/organizations/{slug}/"]["get"]["responses"]["301"]
    assert moved["headers"]["Location"]["schema"] == {"type": "string", "format": "uri"}
    for operations in schema["paths"].values():
        for operation in operations.values():
            throttled = operation["responses"]["429"]
            assert throttled["headers"]["Retry-After"]["schema"]["type"] == "integer"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/events/2021-china-philanthropy-going-global-exchange-meeting/"),
        ("post", "/api/memberships/1/"),
        ("post", "/api/organizations/export/"),
        ("delete", "/api/organizations/"),
        ("patch", "/api/committee-sessions/"),
        ("post", "/api/decisions/"),
        ("put", "/api/votes/1/"),
    ],
)
def test_a_method_the_address_does_not_take_is_a_405_for_anyone(
    anonymous, editor_user, method, path
):
    assert_status(getattr(anonymous, method)(path), 405)
    token = Token.objects.create(user=editor_user)
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert_status(getattr(anonymous, method)(path), 405)


def test_a_declared_write_without_credentials_is_still_a_401(anonymous):
    assert_status(anonymous.post("/api/organizations/", {}, format="json"), 401)


def test_an_address_too_long_for_the_server_is_declared(schema):
    for operations in schema["paths"].values():
        for operation in operations.values():
            assert operation["responses"]["414"] == {"description": "The address is too long."}
