"""Trust and care on every record's page: when the record last changed, the public history
of its changes (with no editor named), and a form to report an error to the editors."""

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from directory.models import ErrorReport, Organization, Person, Source
from directory.record_pages import STARTED_SALT, ErrorReportForm
from events.models import Event
from networks.models import Network, Program
from tests.factories import make_directory
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

# (address prefix, model) of every kind of record with a public page
KINDS = [
    ("organizations", Organization),
    ("people", Person),
    ("sources", Source),
    ("networks", Network),
    ("programs", Program),
    ("events", Event),
]


def a_record(model):
    return model._default_manager.order_by("pk").first()


def edit_as(user, record, **values):
    """Save the record as `user` would in the admin: simple-history takes the editor from
    `_history_user`."""
    for name, value in values.items():
        setattr(record, name, value)
    record._history_user = user
    record.save()


@pytest.fixture
def report_settings(settings):
    """Forms may be sent at once; the rate is the production default."""
    settings.ERROR_REPORT_MIN_SECONDS = 0
    settings.ERROR_REPORT_RATE = "5/hour"
    return settings


def started(seconds_ago=10):
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def report(client, slug="cango", **values):
    data = {"message": "The founding year is 1993, not 1992.", "started": started(), **values}
    return client.post(f"/en/organizations/{slug}/report/", data)


# Last changed


@pytest.mark.parametrize(("prefix", "model"), KINDS, ids=[kind for kind, _ in KINDS])
def test_each_detail_page_says_when_its_record_last_changed_and_links_its_pages(
    client, editor_user, prefix, model
):
    record = a_record(model)
    edit_as(editor_user, record)
    newest = record.history.first()
    newest.history_date = datetime.datetime(2026, 12, 7, 3, tzinfo=datetime.UTC)
    newest.save()
    page = client.get(f"/en/{prefix}/{record.slug}/").content.decode()
    assert 'Last changed: <time datetime="2026-12-07">2026-12-07</time>' in page
    assert f'href="/en/{prefix}/{record.slug}/history/"' in page
    assert f'href="/en/{prefix}/{record.slug}/report/"' in page
    assert "Report an error" in page


def test_the_last_changed_date_is_the_newest_history_entry_in_the_sites_time_zone(
    client, editor_user
):
    cango = Organization.objects.get(slug="cango")
    edit_as(editor_user, cango, description_en="First.")
    edit_as(editor_user, cango, description_en="Second.")
    older, newer = cango.history.order_by("history_date")[:2]
    older.history_date = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    older.save()
    # 20:00 UTC on 6 December is 7 December in Shanghai.
    newer.history_date = datetime.datetime(2026, 12, 6, 20, tzinfo=datetime.UTC)
    newer.save()
    page = client.get("/en/organizations/cango/").content.decode()
    assert ZoneInfo("Asia/Shanghai") == timezone.get_default_timezone()
    assert 'Last changed: <time datetime="2026-12-07">' in page


def test_a_record_without_history_shows_no_date_but_still_its_links(client):
    assert not Organization.objects.get(slug="cango").history.exists()
    page = client.get("/zh-hans/organizations/cango/").content.decode()
    assert "最后更改" not in page
    assert "报告错误" in page
    assert 'href="/zh-hans/organizations/cango/history/"' in page


def test_the_date_comes_with_the_record_in_the_same_query(editor_user):
    cango = Organization.objects.get(slug="cango")
    edit_as(editor_user, cango)
    found = Organization.objects.with_last_changed().for_detail().get(slug="cango")
    assert found.last_changed == cango.history.first().history_date


# The public history


def test_the_history_lists_each_change_with_old_and_new_values_and_no_editor(client, editor_user):
    cango = Organization.objects.get(slug="cango")
    edit_as(editor_user, cango, founded_on=datetime.date(1992, 7, 1))
    edit_as(editor_user, cango, kind="ngo")
    edit_as(editor_user, cango, founded_on=datetime.date(1993, 7, 1), kind="foundation")
    editor_user.first_name, editor_user.last_name = "Robert", "Editorson"
    editor_user.save()
    page = client.get("/en/organizations/cango/history/")
    assert_status(page, 200)
    text = page.content.decode()
    assert "History of" in text
    assert "<del>1992-07-01</del> → <ins>1993-07-01</ins>" in text
    # Choices read as the reader reads them elsewhere.
    assert "<del>NGO or social organization</del> → <ins>foundation</ins>" in text
    assert "changed" in text
    # No trace of who made the change.
    for identity in ("bob", "bob@example.org", "Robert", "Editorson"):
        assert identity not in text
    # The bookkeeping derived from the facts is not listed.
    assert "search_" not in text and "sort_key" not in text


def test_the_history_names_a_creation_and_is_in_chinese_too(client, editor_user):
    person = Person(name_zh="单霁翔", name_en="Shan Jixiang")
    person._history_user = editor_user
    person.save()
    text = client.get(f"/zh-hans/people/{person.slug}/history/").content.decode()
    assert "单霁翔的更改记录" in text
    assert "创建" in text
    assert "bob" not in text


def test_a_history_page_of_no_record_is_a_404(client):
    assert_status(client.get("/en/organizations/no-such-record/history/"), 404)


@pytest.mark.parametrize(("prefix", "model"), KINDS, ids=[kind for kind, _ in KINDS])
def test_history_pages_run_a_fixed_number_of_queries(
    client, editor_user, django_assert_num_queries, prefix, model
):
    small = a_record(model)
    edit_as(editor_user, small)
    big = model._default_manager.order_by("-pk").first()
    field = "pinyin" if hasattr(big, "pinyin") else "author"
    for number in range(30):
        edit_as(editor_user, big, **{field: f"edit {number}"})
    for record in (small, big):
        # the record; its newest history entries
        with django_assert_num_queries(2):
            response = client.get(f"/en/{prefix}/{record.slug}/history/")
        assert_status(response, 200)


def test_the_history_shows_the_newest_changes_only(client, editor_user, monkeypatch):
    from directory import record_pages

    monkeypatch.setattr(record_pages, "HISTORY_SHOWN", 3)
    cango = Organization.objects.get(slug="cango")
    for number in range(5):
        edit_as(editor_user, cango, description_en=f"Version {number}")
    text = client.get("/en/organizations/cango/history/").content.decode()
    assert text.count("<time") == 3
    assert "<ins>Version 4</ins>" in text
    # The oldest shown is compared with the one before it.
    assert "<del>Version 1</del> → <ins>Version 2</ins>" in text
    assert "Older changes are not shown." in text


# Reporting an error


def test_the_report_form_is_reached_from_the_page_and_sends_one_report(client, report_settings):
    page = client.get("/en/organizations/cango/report/")
    assert_status(page, 200)
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "What is wrong?" in text and 'name="csrfmiddlewaretoken"' in text
    response = report(client, source="https://example.org/cango", email="reader@example.org")
    assert_status(response, 302)
    assert response["Location"] == "/en/organizations/cango/report/sent/"
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you" in thanks and "has been sent to the editors" in thanks
    stored = ErrorReport.objects.get()
    cango = Organization.objects.get(slug="cango")
    assert stored.record == cango
    assert stored.content_type == ContentType.objects.get_for_model(Organization)
    assert stored.page == "/en/organizations/cango/"
    assert (stored.source, stored.email, stored.handled) == (
        "https://example.org/cango",
        "reader@example.org",
        False,
    )


@pytest.mark.parametrize(("prefix", "model"), KINDS, ids=[kind for kind, _ in KINDS])
def test_every_kind_of_record_takes_reports(client, report_settings, prefix, model):
    record = a_record(model)
    response = client.post(
        f"/zh-hans/{prefix}/{record.slug}/report/", {"message": "错了。", "started": started()}
    )
    assert_status(response, 302)
    assert ErrorReport.objects.get().record == record
    assert "谢谢" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"website": "http://spam.example"}, "This field must be left empty."),
        ({"started": 0}, "This form was sent too fast"),
        ({"started": 2 * 24 * 3600}, "This form is too old"),
        ({"started": "forged"}, "This form was altered"),
        ({"message": ""}, "This field is required."),
        ({"message": "x" * 2001}, "Ensure this value has at most 2000 characters"),
        ({"email": "not an address"}, "Enter a valid email address."),
    ],
    ids=["honeypot", "too-fast", "too-old", "forged-time", "empty", "too-long", "bad-email"],
)
def test_a_refused_report_is_shown_again_with_why_and_nothing_is_stored(
    client, settings, values, message
):
    settings.ERROR_REPORT_MIN_SECONDS = 3
    if isinstance(values.get("started"), int):  # seconds ago, counted when the test runs
        values = {"started": started(seconds_ago=values["started"])}
    response = report(client, **values)
    assert_status(response, 400)
    assert message in response.content.decode()
    assert not ErrorReport.objects.exists()


def test_a_form_refused_as_too_old_comes_back_with_a_new_time(client, report_settings):
    response = report(client, started=started(seconds_ago=2 * 24 * 3600))
    assert_status(response, 400)
    renewed = response.context["form"].data["started"]
    assert signing.loads(renewed, salt=STARTED_SALT) > time.time() - 60


def test_a_client_sending_too_many_reports_is_refused(client, report_settings):
    for _number in range(5):
        assert_status(report(client), 302)
    refused = report(client)
    assert_status(refused, 429)
    assert "Too many reports were sent from your address" in refused.content.decode()
    assert ErrorReport.objects.count() == 5
    # Another address is counted on its own.
    other = client.post(
        "/en/organizations/cango/report/",
        {"message": "Wrong.", "started": started()},
        REMOTE_ADDR="10.0.0.9",
    )
    assert_status(other, 302)


def test_the_report_form_needs_its_csrf_token(report_settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert_status(report(strict), 403)
    assert not ErrorReport.objects.exists()


def test_a_report_leaves_cached_pages_alone(client, report_settings):
    from website.cache import current_generation

    before = current_generation()
    assert_status(report(client), 302)
    assert current_generation() == before


def test_a_report_on_no_record_is_a_404(client, report_settings):
    assert_status(report(client, slug="no-such-record"), 404)


def test_the_form_starts_with_a_signed_time():
    form = ErrorReportForm()
    assert signing.loads(form.initial["started"], salt=STARTED_SALT) <= time.time()


# The editors' side


def test_editors_see_reports_in_the_admin_and_mark_them_handled(superuser_client):
    cango = Organization.objects.get(slug="cango")
    first = ErrorReport.objects.create(
        page="/en/organizations/cango/",
        content_type=ContentType.objects.get_for_model(Organization),
        object_id=cango.pk,
        message="The founding year is wrong.",
        email="reader@example.org",
    )
    ErrorReport.objects.create(page="/en/people/x/", message="A second report.")
    changelist = reverse("admin:directory_errorreport_changelist")
    text = superuser_client.get(changelist).content.decode()
    assert "The founding year is wrong." in text and "A second report." in text
    assert 'href="/en/organizations/cango/"' in text
    response = superuser_client.post(
        changelist, {"action": "mark_handled", "_selected_action": [first.pk]}
    )
    assert_status(response, 302)
    first.refresh_from_db()
    assert first.handled and first.handled_at is not None
    unhandled = superuser_client.get(changelist, {"handled__exact": "0"}).content.decode()
    assert "A second report." in unhandled and "The founding year is wrong." not in unhandled
    # Reports come from readers alone.
    assert_status(superuser_client.get(reverse("admin:directory_errorreport_add")), 403)
    change = reverse("admin:directory_errorreport_change", args=[first.pk])
    assert_status(superuser_client.post(change, {"handled": ""}), 302)
    first.refresh_from_db()
    assert not first.handled and first.handled_at is None


def test_history_hubs_of_a_generated_directory_render(client):
    hub = make_directory(2, prefix="trust")
    assert_status(client.get(f"/en/organizations/{hub.organization.slug}/history/"), 200)


def test_the_history_shows_country_lists_by_name(client, editor_user):
    program = a_record(Program)
    edit_as(editor_user, program, countries=["CN"])
    edit_as(editor_user, program, countries=["CN", "PH"])
    text = client.get(f"/en/programs/{program.slug}/history/").content.decode()
    assert "<del>China</del> → <ins>China, Philippines</ins>" in text


@pytest.mark.parametrize(("prefix", "model"), KINDS, ids=[kind for kind, _ in KINDS])
def test_every_field_of_every_kind_can_be_shown_changed(editor_user, prefix, model):
    """Two different records' newest entries compared: every field in which they differ,
    whatever its kind, is named and shown as a reader reads it."""
    from directory.record_pages import field_changes

    first, second = model._default_manager.order_by("pk")[:2]
    edit_as(editor_user, first)
    edit_as(editor_user, second)
    delta = second.history.first().diff_against(first.history.first())
    changes = field_changes(model, delta)
    assert changes
    for change in changes:
        assert str(change["field"])
        assert change["old"] is None or isinstance(change["old"], str)
