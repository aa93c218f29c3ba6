"""Editors work in the admin: every page renders, and bad input comes back as a form error."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from rest_framework.authtoken.admin import TokenProxy
from rest_framework.authtoken.models import Token

from directory.models import ErrorReport, FormerSlug, Identifier, Organization, Person, Source
from events.models import Event
from networks.jobs import preview_import
from networks.models import (
    CommitteeSession,
    Decision,
    ImportRun,
    Membership,
    PossibleDuplicate,
    Vote,
    VoteCast,
)
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_app_model_is_registered():
    from django.apps import apps

    # History models are shown through each record's history page, uploaded files on
    # their import's page and member states' votes on their vote's, not on their own; tables'
    # row counts are the database's own bookkeeping (directory.models.counts).
    ours = {
        m
        for label in ["directory", "networks", "events"]
        for m in apps.get_app_config(label).get_models()
        if not m.__name__.startswith("Historical")
        and m.__name__ not in ("ImportFile", "TableRows", "VoteCast")
    }
    assert len(ours) == 23
    assert ours <= set(REGISTERED)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_renders(superuser_client, model):
    assert_status(superuser_client.get(admin_url(model, "changelist")), 200)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_add_page_renders(superuser_client, model):
    # Possible duplicates and the Committee's sessions, decisions and votes come only from
    # imports, readers' error reports only from the public form, django-axes' records of
    # sign-ins only from sign-ins and background jobs only from what queues them; nobody adds
    # one by hand.
    expected = (
        403
        if model in {PossibleDuplicate, CommitteeSession, Decision, Vote, ErrorReport}
        or model._meta.app_label in {"axes", "django_tasks_database"}
        else 200
    )
    assert_status(superuser_client.get(admin_url(model, "add")), expected)


def committee_session():
    return CommitteeSession.objects.get_or_create(date=datetime.date(2010, 6, 21))[0]


# Models the fixtures hold no rows of: made for the test.
MADE_FOR_THE_TEST = {
    "auth.Group": lambda: Group.objects.create(name="editors"),
    "directory.Identifier": lambda: Identifier.objects.create(
        organization=Organization.objects.get(slug="cango"), scheme="wikidata", value="Q4200000"
    ),
    "directory.FormerSlug": lambda: FormerSlug.objects.create(
        organization=Organization.objects.get(slug="cango"), slug="china-ngo-association"
    ),
    "authtoken.TokenProxy": lambda: TokenProxy.objects.get(
        pk=Token.objects.create(user=User.objects.create_user("tokenholder")).pk
    ),
    "directory.ErrorReport": lambda: ErrorReport.objects.create(
        page="/en/organizations/cango/", message="The founding year is wrong."
    ),
    "networks.ImportRun": lambda: ImportRun.objects.create(name="An import"),
    "networks.CommitteeSession": lambda: committee_session(),
    "networks.Decision": lambda: Decision.objects.create(
        session=committee_session(),
        organization=Organization.objects.get(slug="cyva"),
        kind="granted",
        name="Chinese Young Volunteers Association",
        file="1_ecosoc_status_granted.xlsx",
        row_number=4000,
    ),
    "networks.Vote": lambda: (
        VoteCast.objects.create(
            vote=Vote.objects.create(
                session=committee_session(), order=1, topic="Motion to adjourn", outcome="rejected"
            ),
            country="CN",
            choice="against",
        ).vote
    ),
    "django_tasks_database.DBTaskResult": lambda: DBTaskResult.objects.get(
        pk=preview_import.enqueue(0).id
    ),
    "axes.AccessAttempt": lambda: AccessAttempt.objects.create(
        username="bob", ip_address="192.0.2.1", failures_since_start=3
    ),
    "axes.AccessFailureLog": lambda: AccessFailureLog.objects.create(
        username="bob", ip_address="192.0.2.1"
    ),
    "axes.AccessLog": lambda: AccessLog.objects.create(username="bob", ip_address="192.0.2.1"),
    "networks.PossibleDuplicate": lambda: PossibleDuplicate.objects.create(
        key="Grant|amity foundations|2014-06-12",
        file="grants.csv",
        row_number=2,
        name="Amity Foundations",
        organization=Organization.objects.get(slug="amity-foundation"),
        row={
            "kind": "Grant",
            "file": "grants.csv",
            "row": 2,
            "name": "Amity Foundations",
            "date": "2014-06-12",
        },
    ),
}


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_change_page_renders(superuser_client, model):
    make = MADE_FOR_THE_TEST.get(model._meta.label, model._default_manager.first)
    obj = make()
    assert obj is not None, f"no {model._meta.label} in the fixtures to open"
    assert_status(superuser_client.get(admin_url(model, "change", obj.pk)), 200)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("民促会", "cango"),
        ("BCLARC", "bclarc"),
        ("北师大", "beijing-normal-university"),
        ("Amity", "amity-foundation"),
    ],
)
def test_organization_search_covers_names_and_aliases(superuser_client, query, expected):
    response = superuser_client.get(admin_url(Organization, "changelist"), {"q": query})
    assert_status(response, 200)
    found = [org.slug for org in response.context["cl"].result_list]
    assert found == [expected]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "foundation"},
        {"fields__id__exact": "1"},
        {"country": "CN"},
        {"memberships__role": "consultative_status"},
        {"memberships__level": "special"},
    ],
)
def test_organization_list_filters_apply(superuser_client, params):
    response = superuser_client.get(admin_url(Organization, "changelist"), params)
    assert_status(response, 200)
    assert "cl" in response.context


def test_organization_filter_by_network(superuser_client):
    network = Membership.objects.get(organization__slug="cyva", level="special").network
    response = superuser_client.get(
        admin_url(Organization, "changelist"), {"memberships__network__id__exact": network.pk}
    )
    found = {org.slug for org in response.context["cl"].result_list}
    assert found == {"cyva", "amity-foundation", "bclarc"}


def test_event_year_filter(superuser_client):

    response = superuser_client.get(admin_url(Event, "changelist"), {"year": "2021"})
    found = [event.slug for event in response.context["cl"].result_list]
    assert found == ["2021-china-philanthropy-going-global-exchange-meeting"]


def organization_form(**overrides):
    data = {
        "name_zh": "",
        "name_en": "",
        "slug": "",
        "kind": "ngo",
        "city": "",
        "country": "",
        "parent": "",
        "founded_on": "",
        "founded_precision": "day",
        "website": "",
        "description_zh": "",
        "description_en": "",
        "sources": [str(Source.objects.get(slug="cdb-2021-international-networks").pk)],
    }
    for prefix in ["other_names", "identifiers", "positions", "memberships", "former_slugs"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def test_adding_an_organization_works(superuser_client):
    response = superuser_client.post(
        admin_url(Organization, "add"), organization_form(name_zh="新的机构", name_en="A New Org")
    )
    assert_status(response, 302)
    assert Organization.objects.get(slug="a-new-org").name_zh == "新的机构"


def test_duplicate_organization_name_is_a_form_error(superuser_client):
    response = superuser_client.post(
        admin_url(Organization, "add"), organization_form(name_zh="爱德基金会")
    )
    assert_status(response, 200)
    assert "Another organization already has this Chinese name." in response.text


def test_organization_without_a_source_is_a_form_error(superuser_client):
    response = superuser_client.post(
        admin_url(Organization, "add"), organization_form(name_en="Unsourced", sources=[])
    )
    assert_status(response, 200)
    assert not Organization.objects.filter(name_en="Unsourced").exists()
    assert response.context["adminform"].form.errors["sources"]


def membership_inline(organization, rows):
    source = Source.objects.get(slug="csw-2025-international-volunteering")
    data = organization_form(
        name_zh=organization.name_zh,
        name_en=organization.name_en,
        slug=organization.slug,
        kind=organization.kind,
        country=organization.country.code,
    )
    data["sources"] = [str(s.pk) for s in organization.sources.all()]
    data.update({"memberships-TOTAL_FORMS": str(len(rows)), "memberships-INITIAL_FORMS": "0"})
    for number, row in enumerate(rows):
        values = {
            "role": "member",
            "level": "",
            "start_date": "",
            "start_precision": "day",
            "end_date": "",
            "end_precision": "day",
            "notes": "",
            "sources": [str(source.pk)],
        }
        values.update(row)
        data.update({f"memberships-{number}-{key}": value for key, value in values.items()})
    return data


def test_membership_ending_before_it_starts_is_a_form_error(superuser_client):
    ngo = Organization.objects.create(name_en="Edited Org", kind="ngo", country="CN")
    ngo.sources.set(Source.objects.all())
    network = Membership.objects.first().network
    data = membership_inline(
        ngo, [{"network": network.pk, "start_date": "2020-01-01", "end_date": "2019-01-01"}]
    )
    response = superuser_client.post(admin_url(Organization, "change", ngo.pk), data)
    assert_status(response, 200)
    assert "The end date cannot be before the start date." in response.text
    assert not ngo.memberships.exists()


def test_two_identical_undated_memberships_in_one_form_are_a_form_error(superuser_client):
    ngo = Organization.objects.create(name_en="Twice Org", kind="ngo", country="CN")
    ngo.sources.set(Source.objects.all())
    network = Membership.objects.first().network
    row = {"network": network.pk}
    response = superuser_client.post(
        admin_url(Organization, "change", ngo.pk), membership_inline(ngo, [row, row])
    )
    assert_status(response, 200)
    assert "This organization already has this role in this network." in response.text
    assert not ngo.memberships.exists()


def test_deleting_a_cited_source_shows_what_protects_it(superuser_client):
    source = Source.objects.get(slug="cdb-2021-international-networks")
    response = superuser_client.get(admin_url(Source, "delete", source.pk))
    assert_status(response, 200)
    assert response.context["protected"]
    response = superuser_client.post(admin_url(Source, "delete", source.pk), {"post": "yes"})
    assert Source.objects.filter(pk=source.pk).exists()


def test_deleting_a_person_with_talks_is_refused_in_the_admin(superuser_client):
    person = Person.objects.get(slug="xu-ying")
    response = superuser_client.post(admin_url(Person, "delete", person.pk), {"post": "yes"})
    assert Person.objects.filter(pk=person.pk).exists()
    assert response.context["protected"]


def test_saving_a_page_of_a_record_changed_since_it_was_opened_is_refused(superuser_client):
    ngo = Organization.objects.create(name_en="Opened Org", kind="ngo", country="CN")
    ngo.sources.set(Source.objects.all())
    page = superuser_client.get(admin_url(Organization, "change", ngo.pk))
    opened = page.context["record_version"]
    assert f'name="_record_version" value="{opened}"' in page.text
    # Someone else changes the record meanwhile (another editor, the API, an import).
    Organization.objects.filter(pk=ngo.pk).update(description_en="Written meanwhile")
    data = membership_inline(ngo, [])
    data.update({"_record_version": opened, "website": "https://example.org/"})
    response = superuser_client.post(admin_url(Organization, "change", ngo.pk), data)
    assert_status(response, 200)
    assert "changed after this page was opened" in response.text
    ngo.refresh_from_db()
    assert (ngo.description_en, ngo.website) == ("Written meanwhile", "")
    # Opened again, the page saves.
    current = superuser_client.get(admin_url(Organization, "change", ngo.pk))
    data["_record_version"] = current.context["record_version"]
    data["description_en"] = "Written meanwhile"
    response = superuser_client.post(admin_url(Organization, "change", ngo.pk), data)
    assert_status(response, 302)
    ngo.refresh_from_db()
    assert (ngo.description_en, ngo.website) == ("Written meanwhile", "https://example.org/")


def test_every_change_page_carries_its_records_version(superuser_client):
    for model in (Organization, Source, Membership):
        record = model.objects.first()
        page = superuser_client.get(admin_url(model, "change", record.pk))
        assert 'name="_record_version"' in page.text, model


@pytest.mark.parametrize(
    ("field", "typed"),
    [("name_en", "BCLARC"), ("name_zh", "民促会"), ("name_en", "The Amity Foundation")],
)
def test_a_likely_duplicate_is_shown_and_saved_only_when_the_editor_says_so(
    superuser_client, field, typed
):
    """Names folded as the ECOSOC import folds them are compared with every organization's
    main, other and former names: saving is stopped once with the likely duplicate linked,
    and goes through only with the box ticked."""
    data = organization_form(**{field: typed})
    response = superuser_client.post(admin_url(Organization, "add"), data)
    assert_status(response, 200)
    assert "resembles, that of a record already in the directory" in response.text
    [duplicate] = response.context["adminform"].form.likely_duplicates
    expected = {"BCLARC": "bclarc", "民促会": "cango", "The Amity Foundation": "amity-foundation"}[
        typed
    ]
    assert duplicate.slug == expected
    assert admin_url(Organization, "change", duplicate.pk) in response.text
    assert 'name="_not_a_duplicate"' in response.text
    count = Organization.objects.count()

    response = superuser_client.post(
        admin_url(Organization, "add"), {**data, "_not_a_duplicate": "1"}
    )
    assert_status(response, 302)
    assert Organization.objects.count() == count + 1


def test_an_organizations_own_chinese_name_typed_again_is_warned_of_then_refused(
    superuser_client,
):
    """ "中国民促会" is CANGO's Chinese name as the 2021 article writes it: the editor is shown
    CANGO, and saving anyway is refused, since a Chinese name names one organization."""
    data = organization_form(name_zh="中国民促会")
    response = superuser_client.post(admin_url(Organization, "add"), data)
    [duplicate] = response.context["adminform"].form.likely_duplicates
    assert duplicate.slug == "cango"
    count = Organization.objects.count()
    response = superuser_client.post(
        admin_url(Organization, "add"), {**data, "_not_a_duplicate": "1"}
    )
    assert_status(response, 200)
    assert "Another organization already has this Chinese name." in response.text
    assert Organization.objects.count() == count


def test_a_name_like_no_other_and_a_records_own_names_are_not_warned_of(superuser_client):
    response = superuser_client.post(
        admin_url(Organization, "add"), organization_form(name_en="Utterly Novel Society")
    )
    assert_status(response, 302)
    amity = Organization.objects.get(slug="amity-foundation")
    data = membership_inline(amity, [])
    data["description_en"] = "Saved again by its editor."
    response = superuser_client.post(admin_url(Organization, "change", amity.pk), data)
    assert_status(response, 302)
    amity.refresh_from_db()
    assert amity.description_en == "Saved again by its editor."


def test_the_admin_is_titled_as_the_site_and_speaks_chinese(superuser_client):
    index = superuser_client.get("/admin/", headers={"Accept-Language": "zh-hans"}).text
    assert "Django" not in index.split("<body")[0] and "社会组织网络名录" in index
    # The libraries' parts of the admin speak Chinese too (website/library_strings.py).
    assert "后台任务" in index and "登录尝试记录" in index
    assert "Task Results" not in index and "Access attempts" not in index
    taken = Organization.objects.get(slug="cango")
    response = superuser_client.post(
        admin_url(Organization, "add"),
        organization_form(name_en="Slug Taker", slug=taken.slug, _not_a_duplicate="1"),
        headers={"Accept-Language": "zh-hans"},
    )
    assert "已有记录使用此网址标识" in response.text and "具有" not in response.text


def test_an_inline_row_left_without_sources_cites_those_of_its_record(superuser_client):
    ngo = Organization.objects.create(name_en="Cited Once Society", kind="ngo", country="CN")
    cited = Source.objects.get(slug="csw-2025-international-volunteering")
    ngo.sources.set([cited])
    network = Membership.objects.first().network
    data = membership_inline(ngo, [{"network": network.pk, "sources": []}])
    data["sources"] = [str(cited.pk)]
    response = superuser_client.post(admin_url(Organization, "change", ngo.pk), data)
    assert_status(response, 302)
    assert list(ngo.memberships.get().sources.all()) == [cited]
    # A row's own sources are kept.
    other = Source.objects.exclude(pk=cited.pk).first()
    data = membership_inline(
        ngo, [{"network": network.pk, "role": "partner", "sources": [str(other.pk)]}]
    )
    data["sources"] = [str(cited.pk)]
    assert_status(superuser_client.post(admin_url(Organization, "change", ngo.pk), data), 302)
    assert list(ngo.memberships.get(role="partner").sources.all()) == [other]


def test_an_event_with_a_session_and_a_talk_cites_its_source_once(superuser_client):
    """The event cites the article; its session and the session's talk, left without
    sources, cite the event's."""
    source = Source.objects.get(slug="cdb-2021-international-networks")
    speaker = Person.objects.first()
    data = {
        "name_zh": "一次交流会",
        "name_en": "An Exchange Meeting",
        "slug": "",
        "kind": "meeting",
        "attendance_mode": "in_person",
        "city": "",
        "country": "CN",
        "venue_zh": "",
        "venue_en": "",
        "start_date": "2021-04",
        "start_precision": "day",
        "end_date": "",
        "end_precision": "day",
        "description_zh": "",
        "description_en": "",
        "sources": [str(source.pk)],
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-order": "1",
        "sessions-0-kind": "opening",
        "sessions-0-title_zh": "开幕",
        "sessions-0-title_en": "",
        "sessions-0-start_time": "",
        "sessions-0-end_time": "",
        "sessions-0-talks-TOTAL_FORMS": "1",
        "sessions-0-talks-INITIAL_FORMS": "0",
        "sessions-0-talks-0-order": "1",
        "sessions-0-talks-0-speaker": str(speaker.pk),
        "sessions-0-talks-0-role": "speaker",
        "sessions-0-talks-0-speaker_organization": "",
        "sessions-0-talks-0-speaker_title_zh": "",
        "sessions-0-talks-0-speaker_title_en": "",
        "sessions-0-talks-0-title_zh": "致辞",
        "sessions-0-talks-0-title_en": "",
    }
    response = superuser_client.post(admin_url(Event, "add"), data)
    assert_status(response, 302)
    event = Event.objects.get(name_en="An Exchange Meeting")
    assert (event.start_date, event.start_precision) == (datetime.date(2021, 4, 1), "month")
    session = event.sessions.get()
    assert list(session.sources.all()) == [source]
    assert list(session.talks.get().sources.all()) == [source]


@pytest.mark.parametrize("model", [Organization, Event])
def test_the_country_filter_lists_the_countries_in_use(superuser_client, model):
    response = superuser_client.get(admin_url(model, "changelist"))
    [country_filter] = [
        spec for spec in response.context["cl"].filter_specs if spec.title in {"Country", "country"}
    ]
    listed = {choice["display"] for choice in country_filter.choices(response.context["cl"])}
    in_use = {str(record.country.name) for record in model.objects.exclude(country="")}
    assert listed - {"All"} == in_use
    assert len(listed) < 20


def test_likely_duplicates_cost_the_same_queries_for_one_candidate_or_many():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            found = Organization.objects.likely_duplicates([name])
        return len(captured), found

    few, found = queries("民促会")
    assert [record.slug for record in found] == ["cango"]
    many, _found = queries("Foundation")  # many candidates, each with its other names
    assert many == few


def test_a_record_saved_again_under_its_names_is_not_stopped(superuser_client):
    """Two records an editor has said are different stay saveable without the tick."""
    data = organization_form(name_en="The Amity Foundation", _not_a_duplicate="1")
    assert_status(superuser_client.post(admin_url(Organization, "add"), data), 302)
    twin = Organization.objects.get(name_en="The Amity Foundation")
    data = membership_inline(twin, [])
    data["description_en"] = "Edited later."
    assert_status(superuser_client.post(admin_url(Organization, "change", twin.pk), data), 302)
    data["name_en"] = "Amity Foundation, The"
    response = superuser_client.post(admin_url(Organization, "change", twin.pk), data)
    assert "resembles, that of a record already in the directory" in response.text
