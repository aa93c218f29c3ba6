"""What editors type is shown as text everywhere: markup, quotes and a closing </script> in
names and descriptions never become markup, in the pages or inside their JSON-LD blocks."""

import json
import re

import pytest

from directory.models import Organization, Person, Position, Source
from networks.models import Membership, Network

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HOSTILE_NAME = f"{SCRIPT} \"Quoted\" 'Apostrophe' Org"
HOSTILE_ZH = f"{SCRIPT}恶意机构</script><script>alert(2)</script>"
HOSTILE_DESCRIPTION = '</script><script>alert(3)</script><img src=x onerror="alert(4)"> & more'
HOSTILE_PERSON = '</script><svg onload=alert(5)> "Person"'
# Markup that must never appear as such: each is what one of the hostile texts would
# inject if it were not escaped.
INJECTED = [
    SCRIPT,
    "<script>alert(2)</script>",
    "<script>alert(3)</script>",
    '<img src=x onerror="alert(4)">',
    "<svg onload=alert(5)>",
]
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
# The site's own script files (the interactive graph's), empty elements with an address.
SCRIPT_FILES = re.compile(r'<script src="/static/[\w./-]+\.js" defer></script>')


@pytest.fixture
def hostile():
    source = Source.objects.get(slug="cdb-2021-international-networks")
    organization = Organization.objects.create(
        slug="hostile-org",
        name_en=HOSTILE_NAME,
        name_zh=HOSTILE_ZH,
        kind="ngo",
        description_en=HOSTILE_DESCRIPTION,
        description_zh=HOSTILE_DESCRIPTION,
    )
    organization.sources.add(source)
    # A membership puts it in the relationship graph and on a network's page.
    network = Network.objects.get(slug="un-ecosoc-consultative-status")
    membership = Membership.objects.create(
        organization=organization, network=network, role="consultative_status", level="special"
    )
    membership.sources.add(source)
    person = Person.objects.create(
        slug="hostile-person", name_en=HOSTILE_PERSON, description_en=HOSTILE_DESCRIPTION
    )
    person.sources.add(source)
    position = Position.objects.create(
        person=person, organization=organization, title_en=HOSTILE_PERSON
    )
    position.sources.add(source)
    return organization


def html_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def assert_escaped(html):
    for markup in INJECTED:
        assert markup not in html
    # No script element but the JSON-LD data blocks and the site's own script files.
    assert html.count("<script") == len(JSONLD.findall(html)) + len(SCRIPT_FILES.findall(html))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "path",
    [
        "organizations/hostile-org/",
        "organizations/?consultative_level=special",
        "organizations/?search=Apostrophe",
        "search/?q=Apostrophe",
        "graph/",
        "networks/un-ecosoc-consultative-status/",
        "people/hostile-person/",
        "people/",
        "search/?q=Person",
    ],
)
def test_hostile_text_is_shown_escaped_on_every_page(client, hostile, language, path):
    html = html_of(client, f"/{language}/{path}")
    assert_escaped(html)
    assert "&lt;script&gt;alert(" in html or "&lt;/script&gt;" in html, "the text is not shown"


@pytest.mark.parametrize(
    "path",
    [
        "/en/organizations/hostile-org/",
        "/zh-hans/organizations/hostile-org/",
        "/en/people/hostile-person/",
    ],
)
def test_json_ld_cannot_be_closed_by_what_editors_type(client, hostile, path):
    html = html_of(client, path)
    [block] = JSONLD.findall(html)
    # Inside the data block nothing can end the script element or open a tag.
    assert "<" not in block and ">" not in block
    data = json.loads(block)
    texts = json.dumps(data, ensure_ascii=False)
    # The text itself survives intact for whoever reads the data.
    assert data["description"] == HOSTILE_DESCRIPTION
    if data["@type"] == "Organization":
        assert {HOSTILE_NAME, HOSTILE_ZH} <= {data["name"], *data["alternateName"]}
    else:
        assert data["name"] == HOSTILE_PERSON
        assert data["affiliation"][0]["name"] in {HOSTILE_NAME, HOSTILE_ZH}
    assert SCRIPT in texts


def test_hostile_text_in_the_api_is_plain_json(anonymous, hostile):
    data = anonymous.get("/api/organizations/hostile-org/").json()
    assert data["name_en"] == HOSTILE_NAME
    assert anonymous.get("/api/organizations/hostile-org/")["Content-Type"] == ("application/json")
