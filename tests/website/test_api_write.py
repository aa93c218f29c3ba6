"""Anonymous visitors only read; editors with model permissions write, and writes are
validated like the admin: the same rules, the same messages, as field errors."""

import pytest

from directory.models import Organization, Source
from networks.models import Membership
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

NEW_ORGANIZATION = {
    "name_zh": "新公益机构",
    "name_en": "New Public Interest Organization",
    "kind": "ngo",
    "fields": ["volunteering", "youth"],
    "city": "beijing",
    "country": "CN",
    "sources": ["cdb-2021-international-networks"],
}


def test_anonymous_write_is_refused_and_nothing_changes(anonymous):
    before = Organization.objects.count()
    response = anonymous.post("/api/organizations/", NEW_ORGANIZATION, format="json")
    assert_status(response, 401)
    assert Organization.objects.count() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/api/organizations/cango/"),
        ("patch", "/api/organizations/cango/"),
        ("delete", "/api/organizations/cango/"),
        ("post", "/api/memberships/"),
        ("delete", "/api/sources/cdb-2021-international-networks/"),
    ],
)
def test_anonymous_cannot_change_or_delete(anonymous, method, path):
    response = getattr(anonymous, method)(path, {"name_en": "Hijacked"}, format="json")
    assert_status(response, 401)
    assert Organization.objects.get(slug="cango").name_en == "China Association for NGO Cooperation"
    assert Source.objects.filter(slug="cdb-2021-international-networks").exists()


def test_a_signed_in_user_without_permissions_is_forbidden(reader):
    response = reader.post("/api/organizations/", NEW_ORGANIZATION, format="json")
    assert_status(response, 403)
    assert not Organization.objects.filter(name_en=NEW_ORGANIZATION["name_en"]).exists()


def test_editor_creates_an_organization_with_slugs_for_related_records(editor):
    response = editor.post("/api/organizations/", NEW_ORGANIZATION, format="json")
    assert_status(response, 201)
    created = Organization.objects.get(slug="new-public-interest-organization")
    assert created.city.slug == "beijing"
    assert set(created.fields.values_list("slug", flat=True)) == {"volunteering", "youth"}
    assert response.json()["city"]["name_en"] == "Beijing"
    assert response.json()["sources"][0]["slug"] == "cdb-2021-international-networks"


def test_editor_updates_and_deletes(editor):
    editor.post("/api/organizations/", NEW_ORGANIZATION, format="json")
    path = "/api/organizations/new-public-interest-organization/"
    response = editor.patch(path, {"description_en": "Works with youth volunteers."}, format="json")
    assert_status(response, 200)
    assert Organization.objects.get(slug="new-public-interest-organization").description_en
    assert_status(editor.delete(path), 204)
    assert not Organization.objects.filter(slug="new-public-interest-organization").exists()


def test_a_duplicate_name_is_a_field_error(editor):
    response = editor.post(
        "/api/organizations/", {**NEW_ORGANIZATION, "name_zh": "爱德基金会"}, format="json"
    )
    assert_status(response, 400)
    assert response.json()["name_zh"] == ["Another organization already has this Chinese name."]


def test_a_record_without_sources_is_refused(editor):
    response = editor.post(
        "/api/organizations/", {**NEW_ORGANIZATION, "sources": []}, format="json"
    )
    assert_status(response, 400)
    assert "sources" in response.json()


def test_an_unknown_related_slug_is_a_field_error(editor):
    response = editor.post(
        "/api/organizations/", {**NEW_ORGANIZATION, "city": "atlantis"}, format="json"
    )
    assert_status(response, 400)
    assert "city" in response.json()


def membership(**changes):
    return {
        "organization": "cango",
        "network": "unv-programme",
        "role": "partner",
        "sources": ["csw-2025-international-volunteering"],
        **changes,
    }


def test_membership_ending_before_it_starts_is_refused(editor):
    response = editor.post(
        "/api/memberships/",
        membership(start_date="2020-01-01", end_date="2019-01-01"),
        format="json",
    )
    assert_status(response, 400)
    assert response.json()["non_field_errors"] == ["The end date cannot be before the start date."]
    assert not Membership.objects.filter(
        organization__slug="cango", network__slug="unv-programme"
    ).exists()


def test_consultative_status_without_level_is_refused(editor):
    response = editor.post(
        "/api/memberships/",
        membership(network="un-ecosoc-consultative-status", role="consultative_status"),
        format="json",
    )
    assert_status(response, 400)
    assert "Consultative status needs a level" in response.json()["non_field_errors"][0]


def test_the_same_undated_membership_twice_is_refused(editor):
    assert_status(editor.post("/api/memberships/", membership(), format="json"), 201)
    response = editor.post("/api/memberships/", membership(), format="json")
    assert_status(response, 400)
    assert response.json()["non_field_errors"] == [
        "This organization already has this role in this network."
    ]


def test_partial_dates_are_truncated_to_their_precision(editor):
    response = editor.post(
        "/api/memberships/",
        membership(start_date="2023-05-17", start_precision="year"),
        format="json",
    )
    assert_status(response, 201)
    assert (response.json()["start_date"], response.json()["start"]) == ("2023-01-01", "2023")


def test_deleting_a_referenced_record_is_a_409_conflict(editor):
    response = editor.delete("/api/organizations/cyva/")
    assert_status(response, 409)
    assert response.json()["referenced_by"]
    assert Organization.objects.filter(slug="cyva").exists()


def test_deleting_a_cited_source_is_a_409_conflict(editor):
    response = editor.delete("/api/sources/cdb-2021-international-networks/")
    assert_status(response, 409)
    assert Source.objects.get(slug="cdb-2021-international-networks").cited_by_organization.exists()


def test_editor_adds_a_talk_to_a_session(editor):
    session = editor.get("/api/sessions/", {"kind": "free_exchange"}).json()["results"][0]
    response = editor.post(
        "/api/talks/",
        {
            "session": session["id"],
            "order": 1,
            "speaker": "you-fei",
            "role": "speaker",
            "title_en": "Closing thoughts",
            "sources": ["cdb-2021-international-networks"],
        },
        format="json",
    )
    assert_status(response, 201)
    assert response.json()["event"]["slug"].startswith("2021-")
    # Written as the session's id, read back as its summary: no second request to place
    # the talk in the agenda.
    written = response.json()["session"]
    assert written == {key: session[key] for key in written}
    assert set(written) == {
        "id",
        "url",
        "order",
        "kind",
        "title_zh",
        "title_en",
        "start_time",
        "end_time",
    }


def test_editor_records_that_an_organization_took_part_in_an_event(editor):
    answer = {
        "event": "2024-china-africa-peoples-forum-volunteer-service-forum",
        "organization": "cyva",
        "role": "participant",
        "sources": ["csw-2025-international-volunteering"],
    }
    response = editor.post("/api/participations/", answer, format="json")
    assert_status(response, 201)
    written = response.json()
    assert (written["event"]["slug"], written["organization"]["country"]) == (
        answer["event"],
        "CN",
    )
    # The same part twice is refused, with the model's message.
    again = editor.post("/api/participations/", answer, format="json")
    assert_status(again, 400)
    assert "already has this role at this event" in str(again.json())
    assert_status(editor.delete(written["url"]), 204)


@pytest.mark.parametrize("session", [True, 1.5, "1.0", "x", None, {"id": 1}])
def test_a_talks_session_is_written_as_a_whole_id(editor, session):
    response = editor.post(
        "/api/talks/",
        {
            "session": session,
            "order": 1,
            "speaker": "you-fei",
            "role": "speaker",
            "sources": ["cdb-2021-international-networks"],
        },
        format="json",
    )
    assert_status(response, 400)
    assert list(response.json()) == ["session"]


def test_session_authentication_works_for_the_browsable_api(client, editor_user):
    client.force_login(editor_user)
    response = client.post(
        "/api/people/",
        {"name_en": "Session Writer", "sources": ["cdb-2021-international-networks"]},
        content_type="application/json",
    )
    assert_status(response, 201)


def test_errors_come_in_the_language_the_client_asks_for(editor):
    response = editor.post(
        "/api/organizations/",
        {**NEW_ORGANIZATION, "name_zh": "爱德基金会"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert_status(response, 400)
    assert response.json()["name_zh"] == ["已有其他机构使用此中文名称。"]
