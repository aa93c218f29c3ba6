"""Lists are in name order (pinyin in Chinese, the alphabet in English), from keys stored with
each record (directory.name_order), and each list page offers its other orders as links that
keep the filters."""

import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import Count

from directory.models import Organization, Person
from directory.name_order import fill_operation, sort_keys
from tests.factories import make_directory
from tests.helpers import assert_status
from tests.website.test_page_queries import LIST_PAGES
from website.generator.writing import prepare

pytestmark = pytest.mark.django_db

ROW = re.compile(r'class="record-name" href="[^"]*">([^<]*)<')
SORT_LINKS = re.compile(r'<nav class="sort-links".*?</nav>', re.S)
# Each list page's orders (`?sort=`), its own first.
SORTS = {
    "organizations/": ["name", "founded", "joined", "connected"],
    "people/": ["name", "connected"],
    "networks/": ["name", "founded", "connected"],
    "programs/": ["name", "connected"],
    "events/": ["date", "name", "connected"],
}


def listed(client, path, **params):
    """The names a list shows, page after page."""
    names, number = [], 1
    while True:
        response = client.get(path, {**params, "page": number})
        assert_status(response, 200)
        content = response.content.decode()
        names += [name.replace("&#x27;", "'") for name in ROW.findall(content)]
        if 'rel="next"' not in content:
            return names
        number += 1


def first_starting(names, start):
    return next(number for number, name in enumerate(names) if name.startswith(start))


def test_the_chinese_organization_list_is_in_pinyin_order(client):
    names = listed(client, "/zh-hans/organizations/")
    assert names.index("爱德基金会") < first_starting(names, "北京") < first_starting(names, "中国")
    assert names.index("中国青年志愿者协会") < names.index("中华志愿者协会")
    expected = Organization.objects.order_by("sort_key_zh", "pk")
    assert names == [organization.name_zh or organization.name_en for organization in expected]


def test_the_english_organization_list_is_in_alphabetical_order(client):
    names = listed(client, "/en/organizations/")
    assert (
        names.index("Blue Sky Rescue")
        < names.index("China Association for NGO Cooperation")
        < first_starting(names, "International NGO and Foundation Research Center")
    )
    assert names == sorted(names, key=lambda name: re.sub(r"[^0-9a-z]", "", name.lower()))


def test_a_record_named_in_one_language_is_filed_by_that_name_in_the_other(client):
    Organization.objects.create(name_zh="北京测试中心", kind="ngo")
    Organization.objects.create(name_en="Zulu Watch", kind="ngo")
    english = listed(client, "/en/organizations/")
    # "beijingceshi..." comes before "beijingchildrens...", after "amityfoundation"
    assert english.index("Amity Foundation") + 1 == english.index("北京测试中心")
    chinese = listed(client, "/zh-hans/organizations/")
    # "zuluwatch" comes after "zhonghuazhiyuanzhexiehui", the last in pinyin
    assert chinese[-1] == "Zulu Watch"


def test_the_keys_are_letters_and_digits_alone_case_and_accents_folded():
    assert sort_keys("", "Café  Écho-2") == {"sort_key_zh": "cafeecho2", "sort_key_en": "cafeecho2"}
    assert sort_keys("中国NGO联盟", "")["sort_key_zh"] == "zhongguongolianmeng"
    # The editor's reading of a name read wrongly replaces pypinyin's.
    assert sort_keys("单霁翔", "", reading="shan ji xiang")["sort_key_zh"] == "shanjixiang"
    assert sort_keys("…", "", fallback="record-7")["sort_key_en"] == "record7"


def test_the_keys_follow_a_change_of_name_however_it_is_saved():
    amity = Organization.objects.get(slug="amity-foundation")
    amity.name_en = "Zzz Amity"
    amity.save(update_fields={"name_en"})
    assert Organization.objects.get(pk=amity.pk).sort_key_en == "zzzamity"
    person = Person.objects.create(name_zh="单霁翔", pinyin="shan ji xiang")
    assert person.sort_key_zh == person.sort_key_en == "shanjixiang"


def test_every_named_record_of_the_fixtures_has_its_keys():
    for model in apps.get_models():
        if "sort_key_zh" in {field.name for field in model._meta.concrete_fields}:
            assert not model._default_manager.filter(sort_key_zh="").exists(), model
            assert not model._default_manager.filter(sort_key_en="").exists(), model


def test_records_written_in_bulk_are_given_their_keys():
    organization = prepare(Organization(name_zh="爱心社", kind="ngo"))
    assert organization.sort_key_zh == organization.sort_key_en == "aixinshe"


def test_the_migration_fills_the_keys_of_existing_records():
    Organization.objects.update(sort_key_zh="", sort_key_en="")
    operation = fill_operation("directory.Organization")
    operation.code(apps, SimpleNamespace(connection=connection))
    amity = Organization.objects.get(slug="amity-foundation")
    assert (amity.sort_key_zh, amity.sort_key_en) == ("aidejijinhui", "amityfoundation")
    assert not Organization.objects.filter(sort_key_zh="").exists()


def test_founded_puts_the_oldest_first_and_the_undated_last(client):
    # The fixtures state no founding dates.
    founded = {
        "cango": "1992-07-01",
        "amity-foundation": "1985-04-01",
        "blue-sky-rescue": "2007-01-01",
    }
    for slug, date in founded.items():
        Organization.objects.filter(slug=slug).update(founded_on=date)
    names = listed(client, "/en/organizations/", sort="founded")
    assert names[:3] == [
        "Amity Foundation",
        "China Association for NGO Cooperation",
        "Blue Sky Rescue",
    ]
    rest = names[3:]
    assert rest == sorted(rest, key=lambda name: re.sub(r"[^0-9a-z]", "", name.lower()))


def test_most_connected_counts_memberships_program_roles_and_participations(client):
    names = listed(client, "/en/organizations/", sort="connected")
    ties = {
        o.name_en or o.name_zh: o.m + o.r + o.p
        for o in Organization.objects.annotate(
            m=Count("memberships", distinct=True),
            r=Count("program_roles", distinct=True),
            p=Count("event_participations", distinct=True),
        )
    }
    counts = [ties[name] for name in names]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    assert len(names) == len(set(names)) == Organization.objects.count()


def test_most_recent_membership_puts_the_latest_joined_first(client):
    names = listed(client, "/en/organizations/", sort="joined")
    latest = {}
    for o in Organization.objects.prefetch_related("memberships"):
        starts = [m.start_date for m in o.memberships.all() if m.start_date]
        latest[o.name_en or o.name_zh] = max(starts) if starts else None
    dates = [latest[name] for name in names]
    dated = [date for date in dates if date]
    assert dated == sorted(dated, reverse=True) and dated
    assert dates == dated + [None] * (len(dates) - len(dated))


def test_a_sort_keeps_the_filters_and_shows_which_is_active(client):
    response = client.get("/en/organizations/", {"sort": "founded", "kind": "ngo"})
    assert_status(response, 200)
    content = response.content.decode()
    controls = SORT_LINKS.search(content).group()
    assert '<span class="selected" aria-current="true">founded</span>' in controls
    assert 'href="?kind=ngo"' in controls  # name, the page's own order
    assert 'href="?sort=connected&amp;kind=ngo"' in controls
    ngo = set(Organization.objects.filter(kind="ngo").values_list("name_en", flat=True))
    assert set(ROW.findall(content.replace("&#x27;", "'"))) <= ngo


def test_the_sort_controls_are_translated(client):
    content = client.get("/zh-hans/organizations/", {"sort": "connected"}).content.decode()
    controls = SORT_LINKS.search(content).group()
    assert "排序" in controls and "名称" in controls and "关联最多" in controls


def test_a_search_lists_its_best_matches_first_unless_sorted(client):
    controls = SORT_LINKS.search(
        client.get("/en/organizations/", {"search": "beijing"}).content.decode()
    ).group()
    assert '<span class="selected" aria-current="true">best match</span>' in controls
    names = listed(client, "/en/organizations/", search="beijing", sort="name")
    assert names == sorted(names, key=lambda name: re.sub(r"[^0-9a-z]", "", name.lower()))


@pytest.mark.parametrize("path", SORTS)
def test_an_unknown_sort_is_refused_with_a_message(client, path):
    response = client.get(f"/en/{path}", {"sort": "'; drop table"})
    assert_status(response, 400)
    assert "Cannot sort by" in response.content.decode()
    assert all(name in response.content.decode() for name in SORTS[path])


@pytest.mark.parametrize("path", SORTS)
def test_every_sort_pages_through_every_record_once(client, path):
    everything = listed(client, f"/en/{path}")
    for sort in SORTS[path]:
        names = listed(client, f"/en/{path}", sort=sort)
        assert sorted(names) == sorted(everything), sort


@pytest.fixture
def hubs(db):
    return make_directory(2, prefix="small"), make_directory(30, prefix="large")


@pytest.mark.parametrize("path", SORTS)
def test_every_sort_runs_the_list_page_s_fixed_number_of_queries(
    client, hubs, django_assert_num_queries, path
):
    # The same queries as the page's own order (tests/website/test_page_queries.py): a
    # sort's counts and dates are subqueries of the page's query.
    expected, one, many = LIST_PAGES[path]
    for sort in SORTS[path]:
        for search in (one, many):
            cache.clear()  # the counts, cached under the filters, are counted again
            with django_assert_num_queries(expected):
                assert_status(client.get(f"/en/{path}", {"search": search, "sort": sort}), 200)


def test_each_sort_is_cached_apart(anonymous):
    by_name = anonymous.get("/en/organizations/")
    connected = anonymous.get("/en/organizations/", {"sort": "connected"})
    assert ROW.findall(by_name.content.decode()) != ROW.findall(connected.content.decode())
    again = anonymous.get("/en/organizations/", {"sort": "connected"})
    assert again["X-Cache"] == "hit" and again.content == connected.content


@pytest.mark.parametrize(
    ("endpoint", "ordering", "first"),
    [
        ("organizations", "sort_key_zh", "amity-foundation"),
        ("organizations", "sort_key_en", "all-china-youth-federation"),
        ("networks", "sort_key_zh", "child-protection-lawyers-network"),  # ertong...
        ("networks", "-sort_key_en", "vso-china-partners"),
    ],
)
def test_the_api_orders_by_the_name_keys_on_request(anonymous, endpoint, ordering, first):
    response = anonymous.get(f"/api/{endpoint}/", {"ordering": ordering})
    assert_status(response, 200)
    assert response.json()["results"][0]["slug"] == first
