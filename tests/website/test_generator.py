"""manage.py generate_directory: a small generated directory has the counts asked for, every
record is valid and cites a generated source, search texts and slugs are what save() would
write, search, the API and the pages serve it, and the same seed gives the same records."""

import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from pypinyin import Style, lazy_pinyin

from directory.models import Organization, OrganizationName, Person, Position, Source
from events.models import Event, Participation, Session, Talk
from networks.models import Membership, Network, Program, ProgramRole
from tests.canonical import directory_snapshot
from tests.helpers import assert_status
from website.cache import current_generation
from website.generator.dataset import SOURCE_SLUG_PREFIX, generate
from website.generator.names import (
    FIRST_PLACES,
    MORE_DISTRICTS,
    PLACES,
    english,
    organization_name_space,
    organization_names,
)
from website.generator.plan import Plan

pytestmark = pytest.mark.django_db

SMALL = Plan(organizations=50, people=30, memberships=150, events=5)
CITED = [
    Organization,
    Person,
    Position,
    Network,
    Membership,
    Program,
    ProgramRole,
    Event,
    Session,
    Talk,
    Participation,
]
SEARCHABLE = [Organization, Person, Network, Program, Event]


def quiet(line):
    pass


@pytest.fixture
def generated(db):
    return generate(SMALL, seed=3, out=quiet)


def generated_records(model):
    return model.objects.filter(sources__slug__startswith=SOURCE_SLUG_PREFIX).distinct()


def test_the_generated_directory_has_the_counts_asked_for(generated):
    assert generated_records(Organization).count() == 50
    assert generated_records(Person).count() == 30
    assert generated_records(Membership).count() == 150
    assert generated_records(Event).count() == 5
    assert generated_records(Network).count() == SMALL.networks
    assert generated_records(Program).count() == SMALL.programs
    assert Source.objects.filter(slug__startswith=SOURCE_SLUG_PREFIX).count() == SMALL.sources
    assert generated_records(Session).count() >= 5 * 2
    assert generated_records(Talk).exists()
    assert generated_records(Participation).count() >= 5 * 3
    assert OrganizationName.objects.filter(
        organization__in=generated_records(Organization)
    ).exists()


@pytest.mark.parametrize("model", CITED, ids=lambda model: model.__name__)
def test_every_record_cites_a_source(generated, model):
    assert not model.objects.filter(sources__isnull=True).exists()


@pytest.mark.parametrize("model", [*CITED, OrganizationName], ids=lambda model: model.__name__)
def test_a_sample_of_every_kind_passes_the_models_validation(generated, model):
    records = (
        OrganizationName.objects.filter(organization__in=generated_records(Organization))
        if model is OrganizationName
        else generated_records(model)
    )[:15]
    assert records
    for record in records:
        record.full_clean()


@pytest.mark.parametrize("model", SEARCHABLE, ids=lambda model: model.__name__)
def test_search_texts_and_slugs_are_what_save_would_write(generated, model):
    for record in generated_records(model):
        stored = (record.search_names, record.search_grams, record.search_description)
        record.refresh_search_text()
        assert (record.search_names, record.search_grams, record.search_description) == stored
        assert record.unique_slug(record.slug_base()) == record.slug


def test_search_finds_generated_names_in_chinese_english_and_pinyin(generated, anonymous):
    organization = generated_records(Organization).exclude(name_zh="").exclude(name_en="").first()
    for query in (organization.name_zh, organization.name_en.upper()):
        found = anonymous.get("/api/search/", {"q": query}).json()
        assert organization.slug in [
            row["slug"] for row in found["results"]["organizations"]["results"]
        ]
    person = generated_records(Person).exclude(name_zh="").first()
    initials = "".join(lazy_pinyin(person.name_zh, style=Style.FIRST_LETTER))
    assert person in Person.objects.search(person.name_zh)
    assert person in Person.objects.search(person.name_en.lower().replace(" ", ""))
    assert person in Person.objects.search(initials)


def test_the_api_and_the_pages_serve_the_generated_directory(generated, anonymous, client):
    network = generated_records(Network).filter(memberships__isnull=False).first()
    organization = network.memberships.first().organization
    event = generated_records(Event).first()
    for path in (
        f"/api/organizations/?network={network.slug}",
        f"/api/memberships/?network={network.slug}&ordering=-start_date",
        f"/api/organizations/{organization.slug}/",
        f"/api/events/{event.slug}/",
        f"/api/talks/?event={event.slug}",
        f"/api/networks/{network.slug}/",
    ):
        response = anonymous.get(path)
        assert_status(response, 200)
    listed = anonymous.get("/api/organizations/", {"network": network.slug}).json()
    assert listed["count"] == network.memberships.values("organization").distinct().count()
    detail = anonymous.get(f"/api/events/{event.slug}/").json()
    assert len(detail["sessions"]) == event.sessions.count()
    for path in (
        "/en/",
        f"/en/organizations/?network={network.slug}",
        f"/zh-hans/organizations/{organization.slug}/",
        f"/en/events/{event.slug}/",
        f"/en/networks/{network.slug}/",
    ):
        assert_status(client.get(path), 200)


def snapshot_of_generated(seed):
    """Generate, read every record, and roll back to the directory as it was."""
    with transaction.atomic():
        generate(SMALL, seed=seed, out=quiet)
        snapshot = directory_snapshot()
        transaction.set_rollback(True)
    return snapshot


def test_the_same_seed_gives_the_same_records(db):
    first = snapshot_of_generated(3)
    assert not Source.objects.filter(slug__startswith=SOURCE_SLUG_PREFIX).exists()
    assert snapshot_of_generated(3) == first
    assert snapshot_of_generated(4)["directory.Organization"] != first["directory.Organization"]


def test_a_database_holding_generated_data_is_refused(generated):
    before = Organization.objects.count()
    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("generate_directory", organizations=10)
    assert Organization.objects.count() == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"organizations": 0}, "at least 1"),
        ({"organizations": 10, "people": -1}, "cannot be negative"),
        ({"organizations": 10, "memberships": 10_000}, "At most 50 memberships"),
        ({"organizations": 10_000_000}, "distinct names"),
    ],
)
def test_impossible_counts_are_refused_with_the_reason(db, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_directory", **options)
    assert not Source.objects.filter(slug__startswith=SOURCE_SLUG_PREFIX).exists()


def test_generating_makes_what_the_site_cached_stale(db):
    """Written in bulk, without signals: the generation moves on all the same."""
    before = current_generation()
    generate(SMALL, seed=3, out=quiet)
    assert current_generation() != before


def test_a_million_organizations_can_be_named_and_smaller_directories_keep_their_names():
    assert organization_name_space() >= 1_000_000
    places = [place for place in PLACES if place]
    assert len({city[0] + district[0] for city, district in places}) == len(places)
    assert len({english(city[1], district[1]) for city, district in places}) == len(places)
    # The places added for large directories come after the first ones, and a directory
    # that the first ones can name draws from them alone: its names are those it always had.
    assert all(place[1] not in MORE_DISTRICTS for place in PLACES[:FIRST_PLACES] if place)
    added = {district[1] for district in MORE_DISTRICTS}
    names = organization_names(random.Random(1), 5000)
    assert not any(added & set(name.name_en.split()) for name in names)
