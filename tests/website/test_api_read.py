"""Anyone can read the directory over the API: lists, details with embedded summaries and
links, grouped search, and the two questions the issue asks answered in one request each."""

import pytest

from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

MEETING = "2021-china-philanthropy-going-global-exchange-meeting"

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
    "participations",
]
DETAILS = [
    "organizations/cango/",
    "people/qian-xiaofeng/",
    "sources/cdb-2021-international-networks/",
    "networks/un-ecosoc-consultative-status/",
    "programs/serving-un-agencies/",
    f"events/{MEETING}/",
]


def get(client, path, **params):
    response = client.get(f"/api/{path}", params)
    assert_status(response, 200)
    return response.json()


def test_api_root_lists_every_endpoint(anonymous):
    root = get(anonymous, "")
    assert set(LISTS) | {"search", "popolo", "schema", "docs"} <= set(root)
    assert root["organizations"].endswith("/api/organizations/")


@pytest.mark.parametrize("endpoint", LISTS)
def test_every_list_is_paginated_and_readable_anonymously(anonymous, endpoint):
    page = get(anonymous, f"{endpoint}/")
    assert {"count", "next", "previous", "results"} <= set(page)
    assert page["count"] > 0


@pytest.mark.parametrize("path", DETAILS)
def test_details_are_found_by_slug_and_link_to_themselves(anonymous, path):
    record = get(anonymous, path)
    assert record["url"].endswith(f"/api/{path}")


def test_which_organizations_hold_special_ecosoc_status_since_when(anonymous):
    page = get(anonymous, "memberships/", network="un-ecosoc-consultative-status", level="special")
    answers = [(m["organization"]["name_en"], m["start"]) for m in page["results"]]
    assert answers == [("China Young Volunteers Association", "2010-07")]


def test_who_spoke_at_the_2021_meeting_for_which_organization(anonymous):
    page = get(anonymous, "talks/", event=MEETING, page_size=50)
    spoken = [
        (
            t["speaker"]["name_zh"],
            t["role"],
            t["speaker_organization"] and t["speaker_organization"]["name_zh"],
        )
        for t in page["results"]
    ]
    assert spoken[:3] == [
        ("张耿瑞", "speaker", "发展简报"),
        ("程恩江", "speaker", "福特基金会"),
        ("钱霄峰", "speaker", "爱德基金会"),
    ]
    assert ("徐莹", "moderator", None) in spoken
    assert len(spoken) == 11


def test_organization_detail_embeds_its_connections(anonymous):
    cango = get(anonymous, "organizations/cango/")
    assert {n["name"] for n in cango["other_names"]} == {"民促会"}
    assert [p["person"]["slug"] for p in cango["positions"]] == ["wang-xiangyi"]
    assert {p["event"]["slug"] for p in cango["event_participations"]} == {MEETING}
    assert {t["role"] for t in cango["talks"]} == {"speaker", "panelist"}
    assert cango["sources"][0]["slug"] == "cdb-2021-international-networks"
    assert cango["sources"][0]["url"].endswith("/api/sources/cdb-2021-international-networks/")
    assert cango["city"] is None  # the article does not say where it is
    bclarc = get(anonymous, "organizations/bclarc/")
    assert bclarc["city"] == {
        "slug": "beijing",
        "name_zh": "北京",
        "name_en": "Beijing",
        "country": "CN",
    }


def test_organization_detail_shows_memberships_with_network_role_level_and_dates(anonymous):
    cyva = get(anonymous, "organizations/cyva/")
    ecosoc = next(
        m for m in cyva["memberships"] if m["network"]["slug"] == "un-ecosoc-consultative-status"
    )
    assert (ecosoc["role"], ecosoc["level"], ecosoc["start"]) == (
        "consultative_status",
        "special",
        "2010-07",
    )
    assert ecosoc["network"]["url"].endswith("/api/networks/un-ecosoc-consultative-status/")


def test_organization_detail_shows_units_and_parent(anonymous):
    university = get(anonymous, "organizations/beijing-normal-university/")
    assert [u["slug"] for u in university["units"]] == [
        "bnu-international-ngo-foundation-research-center"
    ]
    centre = get(anonymous, "organizations/bnu-international-ngo-foundation-research-center/")
    assert centre["parent"]["slug"] == "beijing-normal-university"


def test_event_detail_has_its_agenda_in_order(anonymous):
    meeting = get(anonymous, f"events/{MEETING}/")
    assert [s["kind"] for s in meeting["sessions"]] == [
        "opening",
        "keynote",
        "thematic",
        "roundtable",
        "free_exchange",
    ]
    roundtable = meeting["sessions"][3]
    assert [t["speaker"]["name_zh"] for t in roundtable["talks"]] == [
        "徐莹",
        "王香奕",
        "钱霄峰",
        "游斐",
    ]
    assert {
        p["organization"]["slug"] for p in meeting["participations"] if p["role"] == "organizer"
    } == {"china-development-brief", "beijing-yixing"}
    assert meeting["launched_programs"] == []
    forum = get(anonymous, "events/2024-china-africa-peoples-forum-volunteer-service-forum/")
    assert forum["launched_programs"][0]["slug"] == "silk-road-hearts-connected"


def test_network_detail_lists_members_and_programs(anonymous):
    vso = get(anonymous, "networks/vso-china-partners/")
    assert vso["member_count"] == 4
    assert len(vso["memberships"]) == 4
    assert [p["slug"] for p in vso["programs"]] == ["western-volunteer-service-capacity-building"]


def test_person_detail_lists_positions_and_talks(anonymous):
    qian = get(anonymous, "people/qian-xiaofeng/")
    assert qian["positions"][0]["organization"]["slug"] == "amity-foundation"
    assert [t["role"] for t in qian["talks"]] == ["speaker", "panelist"]


def test_source_detail_lists_the_records_citing_it(anonymous):
    essay = get(anonymous, "sources/csw-2025-international-volunteering/")
    assert "cyva" in {o["slug"] for o in essay["cited_by_organizations"]}
    assert "dong-tianmei" in {p["slug"] for p in essay["cited_by_people"]}
    assert {e["slug"] for e in essay["cited_by_events"]} >= {
        "2024-china-africa-peoples-forum-volunteer-service-forum"
    }


def test_json_is_utf8_with_chinese_unescaped(anonymous):
    response = anonymous.get("/api/organizations/cango/")
    assert "平台型机构" in response.content.decode("utf-8")
    assert b"\\u" not in response.content


@pytest.mark.parametrize(
    ("query", "group", "slug"),
    [
        ("民促会", "organizations", "cango"),
        ("Qian", "people", "qian-xiaofeng"),
        ("ECOSOC", "networks", "un-ecosoc-consultative-status"),
        ("丝路", "programs", "silk-road-hearts-connected"),
        ("2021", "events", MEETING),
    ],
)
def test_search_finds_every_kind_in_groups(anonymous, query, group, slug):
    found = get(anonymous, "search/", q=query)
    assert found["query"] == query
    assert set(found["results"]) == {
        *("organizations", "people", "networks", "programs", "events"),
        *("decisions", "votes"),
    }
    assert slug in [r["slug"] for r in found["results"][group]["results"]]
    assert found["results"][group]["count"] >= 1
    assert "search=" in found["results"][group]["more"]


def test_search_limit_caps_each_group(anonymous):
    found = get(anonymous, "search/", q="a", limit=2)
    assert all(len(group["results"]) <= 2 for group in found["results"].values())
    assert found["results"]["organizations"]["count"] > 2


@pytest.mark.parametrize("endpoint", LISTS)
def test_search_parameter_works_on_every_list(anonymous, endpoint):
    everything = get(anonymous, f"{endpoint}/")["count"]
    nothing = get(anonymous, f"{endpoint}/", search="no such thing anywhere")["count"]
    assert nothing == 0 < everything


@pytest.mark.parametrize(
    ("endpoint", "ordering", "first"),
    [
        ("organizations", "slug", "all-china-youth-federation"),
        ("organizations", "-slug", "zhicheng-public-interest"),
        ("events", "start_date", MEETING),
        ("events", "-start_date", "2024-china-africa-peoples-forum-volunteer-service-forum"),
        ("networks", "-member_count", "vso-china-partners"),
    ],
)
def test_ordering(anonymous, endpoint, ordering, first):
    page = get(anonymous, f"{endpoint}/", ordering=ordering)
    assert page["results"][0]["slug"] == first


def test_page_size_sets_the_page_length(anonymous):
    page = get(anonymous, "organizations/", page_size=5, page=2)
    assert len(page["results"]) == 5
    assert "page=3" in page["next"] and "page=1" not in page["previous"]


@pytest.mark.parametrize(
    "endpoint",
    [
        "organizations",
        "people",
        "networks",
        "programs",
        "events",
        "sources",
        "positions",
        "memberships",
        "sessions",
        "talks",
    ],
)
def test_every_link_is_the_address_django_reverses(anonymous, endpoint):
    """Links are reversed once per list and completed per record: each must still be the
    record's own address, with the format suffix when one was asked for."""
    from django.urls import reverse

    kind = "person" if endpoint == "people" else endpoint.removesuffix("s")
    for path, suffix in ((f"/api/{endpoint}/", {}), (f"/api/{endpoint}.json", {"format": "json"})):
        response = anonymous.get(path)
        assert_status(response, 200)
        assert response.json()["results"]
        for row in response.json()["results"]:
            lookup = {"slug": row["slug"]} if "slug" in row else {"pk": row["id"]}
            address = reverse(f"{kind}-detail", kwargs={**lookup, **suffix})
            assert row["url"] == f"http://testserver{address}"


def test_a_record_is_found_by_its_address_whatever_the_list_parameters(anonymous):
    """Filters, search and ordering are the lists'; a record's address finds it."""
    response = anonymous.get(
        "/api/organizations/cango/",
        {"kind": "foundation", "search": "nothing like it", "ordering": "x"},
    )
    assert_status(response, 200)
    assert response.json()["slug"] == "cango"
    listed = anonymous.get("/api/organizations/", {"kind": "foundation", "search": "cango"})
    assert listed.json()["count"] == 0
