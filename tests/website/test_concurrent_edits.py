"""Edits through the API: each write is one transaction with its history; two edits of one
record follow each other instead of saving over each other; an edit of a deleted record is
refused; If-Match against a record's ETag refuses an edit of what has changed since."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token
from simple_history.models import HistoricalRecords

from directory.models import Organization
from tests.helpers import assert_status

DETAIL = "/api/organizations/{}/"


@pytest.fixture
def amity(db):
    return Organization.objects.get(slug="amity-foundation")


@pytest.mark.django_db
def test_a_write_and_its_history_are_saved_together_or_not_at_all(editor_user, amity, monkeypatch):
    def history_fails(*args, **kwargs):
        raise RuntimeError("the worker died before its history was written")

    monkeypatch.setattr(HistoricalRecords, "create_historical_record", history_fails)
    client = Client(raise_request_exception=False)
    token = Token.objects.create(user=editor_user)
    before = (amity.name_en, amity.history.count())
    response = client.patch(
        DETAIL.format(amity.slug),
        json.dumps({"name_en": "Half written"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert_status(response, 500)
    amity.refresh_from_db()
    assert (amity.name_en, amity.history.count()) == before


@pytest.mark.django_db
def test_a_detail_carries_an_etag_that_changes_with_the_record(anonymous, editor, amity):
    first = anonymous.get(DETAIL.format(amity.slug))["ETag"]
    assert first.startswith('"') and first == anonymous.get(DETAIL.format(amity.slug))["ETag"]
    assert_status(editor.patch(DETAIL.format(amity.slug), {"website": "https://amity.org/"}), 200)
    assert anonymous.get(DETAIL.format(amity.slug))["ETag"] != first


@pytest.mark.django_db
def test_if_match_refuses_an_edit_of_what_changed_since_it_was_read(anonymous, editor, amity):
    address = DETAIL.format(amity.slug)
    read = anonymous.get(address)["ETag"]
    assert_status(editor.patch(address, {"website": "https://amity.org/"}, HTTP_IF_MATCH=read), 200)
    # The same ETag again: the record has changed since it was read.
    stale = editor.patch(address, {"name_en": "Stale edit"}, HTTP_IF_MATCH=read)
    assert_status(stale, 412)
    assert "changed since you read it" in stale.json()["detail"]
    assert_status(editor.delete(address, HTTP_IF_MATCH=read), 412)
    amity.refresh_from_db()
    assert amity.name_en != "Stale edit"
    current = anonymous.get(address)["ETag"]
    assert_status(editor.patch(address, {"name_en": "Amity"}, HTTP_IF_MATCH=current), 200)
    assert_status(editor.patch(address, {"name_en": "Amity again"}, HTTP_IF_MATCH="*"), 200)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's row locks; SQLite has one writer"
)


def call(url, method, token, body=None):
    request = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def at_once(*calls):
    """The calls made together from threads, released at the same moment: their statuses."""
    barrier = threading.Barrier(len(calls))
    statuses = [None] * len(calls)

    def run(index, arguments):
        barrier.wait()
        statuses[index] = call(*arguments)

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return statuses


@pytest.fixture
def token(transactional_db):
    """An editor's token, in the directory the fixtures describe (transactional tests start
    from an empty database)."""
    call_command("load_fixtures", verbosity=0)
    user = User.objects.create_user("concurrent-editor")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="directory"))
    return Token.objects.create(user=user).key


@postgresql_only
def test_simultaneous_edits_of_two_fields_both_stay(live_server, token):
    organization = Organization.objects.get(slug="amity-foundation")
    url = live_server.url + DETAIL.format(organization.slug)
    for round_ in range(10):
        statuses = at_once(
            (url, "PATCH", token, {"name_en": f"Amity {round_}"}),
            (url, "PATCH", token, {"description_en": f"Described {round_}"}),
        )
        assert statuses == [200, 200]
        organization.refresh_from_db()
        assert (organization.name_en, organization.description_en) == (
            f"Amity {round_}",
            f"Described {round_}",
        )


@postgresql_only
def test_an_edit_racing_a_deletion_never_brings_the_record_back(live_server, token):
    for round_ in range(8):
        organization = Organization.objects.create(
            name_en=f"Short-lived {round_}", slug=f"short-lived-{round_}", kind="ngo"
        )
        url = live_server.url + DETAIL.format(organization.slug)
        delete, edit = at_once(
            (url, "DELETE", token),
            (url, "PATCH", token, {"description_en": "Edited meanwhile"}),
        )
        assert delete == 204
        assert edit in (200, 404)
        assert not Organization.objects.filter(pk=organization.pk).exists()
