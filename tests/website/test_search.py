"""Search finds organizations, people, networks, programs and events the way people name them,
with the same answers on SQLite and PostgreSQL (CI runs this file on both)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Organization, OrganizationName, Person
from directory.search import normalize, pinyin_forms, search_terms
from events.models import Event
from networks.models import Network, Program
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

MEETING = "2021-china-philanthropy-going-global-exchange-meeting"

# query, model, slug expected first
TOP_RESULTS = [
    # the examples
    ("民促会", Organization, "cango"),
    ("绿发", Organization, "cbcgdf"),
    ("BCLARC", Organization, "bclarc"),
    ("Amity", Organization, "amity-foundation"),
    ("aide jijinhui", Organization, "amity-foundation"),
    ("aidejijinhui", Organization, "amity-foundation"),
    ("adjjh", Organization, "amity-foundation"),
    ("Qian Xiaofeng", Person, "qian-xiaofeng"),
    ("爱", Organization, "amity-foundation"),
    # case, width, quotes and spaces do not matter
    ("bclarc", Organization, "bclarc"),
    ("ＢＣＬＡＲＣ", Organization, "bclarc"),
    ("  Amity   Foundation ", Organization, "amity-foundation"),
    ('"丝路心相通"', Program, "silk-road-hearts-connected"),
    ("“丝路心相通”", Program, "silk-road-hearts-connected"),
    ("children’s legal aid", Organization, "bclarc"),
    # pinyin of names and of other names
    ("mincuhui", Organization, "cango"),
    ("min cu hui", Organization, "cango"),
    ("lvfahui", Organization, "cbcgdf"),
    ("huizeren", Organization, "beijing-huizeren"),
    # people by Chinese name, pinyin, initials and English spelling
    ("钱霄峰", Person, "qian-xiaofeng"),
    ("qianxiaofeng", Person, "qian-xiaofeng"),
    ("qxf", Person, "qian-xiaofeng"),
    ("Wang Xiangyi", Person, "wang-xiangyi"),
    ("徐", Person, "xu-ying"),
    # networks, programs and events
    ("ECOSOC", Network, "un-ecosoc-consultative-status"),
    ("咨商", Network, "un-ecosoc-consultative-status"),
    ("UNV", Network, "unv-programme"),
    ("西部计划", Program, "college-students-volunteer-for-the-west"),
    ("Silk Road", Program, "silk-road-hearts-connected"),
    ("2021", Event, MEETING),
    ("交流会", Event, MEETING),
    ("Changsha", Event, "2024-china-africa-peoples-forum-volunteer-service-forum"),
    ("三中全会", Event, "2024-third-plenary-session-20th-cpc-central-committee"),
]


@pytest.mark.parametrize(
    ("query", "model", "slug"),
    TOP_RESULTS,
    ids=[f"{q.strip()}-{m.__name__}" for q, m, _s in TOP_RESULTS],
)
def test_top_result(query, model, slug):
    assert model.objects.search(query).values_list("slug", flat=True).first() == slug


def other_names():
    return list(OrganizationName.objects.values_list("name", "organization__slug"))


def test_every_fixture_other_name_finds_its_organization_first():
    """Abbreviations (BCLARC, 北师大, 民促会, UNV, ...) and other names (爱德, ...)."""
    pairs = other_names()
    assert len(pairs) >= 8
    for name, slug in pairs:
        first = Organization.objects.search(name).values_list("slug", flat=True).first()
        assert first == slug, f"{name} found {first}, not {slug}"


def test_ranking_is_exact_then_prefix_then_substring_then_description():
    def make(name, description=""):
        Organization.objects.create(name_en=name, kind="ngo", description_en=description)

    make("Deep Greenwater Society")
    make("Greenwater")
    make("Quiet Society", description="Protects greenwater rivers.")
    make("Greenwater Alliance")
    found = list(Organization.objects.search("greenwater").values_list("name_en", flat=True))
    assert found == [
        "Greenwater",
        "Greenwater Alliance",
        "Deep Greenwater Society",
        "Quiet Society",
    ]


def test_an_editor_corrects_a_misread_polyphonic_character():
    person = Person.objects.create(name_zh="单霁翔")
    assert not Person.objects.search("shanjixiang").exists()
    assert Person.objects.search("danjixiang").exists()
    person.pinyin = "Shan Ji Xiang"
    person.save()
    assert Person.objects.search("shanjixiang").first() == person
    assert Person.objects.search("sjx").first() == person
    assert not Person.objects.search("danjixiang").exists()


def test_renaming_and_other_names_update_the_search_at_once():
    organization = Organization.objects.create(name_en="Riverkeepers", kind="ngo")
    name = OrganizationName.objects.create(
        organization=organization, name="河流守护者", language="zh", kind="translation"
    )
    assert Organization.objects.search("守护").first() == organization
    assert Organization.objects.search("heliushouhuzhe").first() == organization
    name.delete()
    assert not Organization.objects.search("守护").exists()
    organization.name_en = "Lakekeepers"
    organization.save()
    assert not Organization.objects.search("river").exists()
    assert Organization.objects.search("lake").first() == organization


def test_nothing_matches_nonsense_or_an_empty_query():
    assert not Organization.objects.search("zzqqxxjj").exists()
    assert not Organization.objects.search("   ").exists()


def test_sqlite_answers_from_its_indexes_where_they_apply():
    if connection.vendor != "sqlite":
        pytest.skip("The FTS5 tables exist only on SQLite; PostgreSQL uses pg_trgm indexes.")

    def last_sql(query):
        with CaptureQueriesContext(connection) as captured:
            list(Organization.objects.search(query))
        return captured.captured_queries[-1]["sql"]

    assert '"directory_organization_search" MATCH' in last_sql("基金会")
    assert '"directory_organization_grams" MATCH' in last_sql("绿发")
    assert '"directory_organization_grams" MATCH' in last_sql("爱")
    assert "MATCH" not in last_sql("un")


def test_one_and_two_character_chinese_queries_mean_substrings_of_names():
    found = set(Organization.objects.search("发会").values_list("slug", flat=True))
    assert found == {"cbcgdf"}
    assert "beijing-normal-university" in set(
        Organization.objects.search("师").values_list("slug", flat=True)
    )


def test_postgresql_has_trigram_indexes_that_read_chinese():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm indexes exist only on PostgreSQL; SQLite uses FTS5.")
    from directory.search import chinese_is_indexed

    assert chinese_is_indexed(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = "
            "'directory_organization' AND indexname LIKE %s",
            ["%trgm"],
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "directory_organization_search_names_trgm",
            "directory_organization_search_description_trgm",
        }


def test_postgresql_answers_short_chinese_queries_from_the_gram_index():
    if connection.vendor != "postgresql":
        pytest.skip("Only PostgreSQL uses the gram array index.")
    with CaptureQueriesContext(connection) as captured:
        list(Organization.objects.search("绿发"))
    assert "string_to_array" in captured.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_the_check_warns_when_postgresql_cannot_index_chinese():
    from directory.checks import check_trigram_reads_chinese

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def execute(self, sql, params=None):
            self.sql = sql

        def fetchone(self):
            return ([],)

    class CConnection:
        vendor = "postgresql"
        alias = "default"

        def cursor(self):
            return Cursor()

    warnings = check_trigram_reads_chinese(CConnection())
    assert [warning.id for warning in warnings] == ["directory.W001"]
    assert "LC_CTYPE" in warnings[0].msg

    # A new database, before the migrations install pg_trgm: nothing to check yet (asking
    # show_trgm() would fail and stop `migrate`).
    Cursor.fetchone = lambda self: None if "pg_extension" in self.sql else ([],)
    assert check_trigram_reads_chinese(CConnection()) == []


def test_the_check_waits_for_the_migrations_to_install_pg_trgm():
    """`manage.py migrate` runs the check on a new database, before pg_trgm exists."""
    from directory.checks import check_trigram_reads_chinese

    class Cursor:
        statements = []

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def execute(self, sql, params):
            self.statements.append(sql)

        def fetchone(self):
            return None

    class NewDatabase:
        vendor = "postgresql"
        alias = "default"

        def cursor(self):
            return Cursor()

    assert check_trigram_reads_chinese(NewDatabase()) == []
    assert not any("show_trgm" in sql for sql in Cursor.statements)


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("ＣＡＮＧＯ", "cango"),
        ("“Amity”  Foundation", '"amity" foundation'),
        ("Children’s", "children's"),
        ("a\u01c2b", "a b"),
        ("\u3000北京\u3000", "北京"),
    ],
)
def test_normalization(text, normal):
    assert normalize(text) == normal


def test_pinyin_forms_and_query_terms():
    assert pinyin_forms("爱德基金会") == ["ai de ji jin hui", "aidejijinhui", "adjjh"]
    assert pinyin_forms("Amity") == []
    assert search_terms(" Aide  JIJINHUI ") == ["aide jijinhui", "aidejijinhui"]


@pytest.mark.parametrize(
    ("query", "group", "slug"),
    [
        ("民促会", "organizations", "cango"),
        ("adjjh", "organizations", "amity-foundation"),
        ("qxf", "people", "qian-xiaofeng"),
        ("2021", "events", MEETING),
    ],
)
def test_the_api_search_uses_the_same_search(anonymous, query, group, slug):
    response = anonymous.get("/api/search/", {"q": query})
    assert_status(response, 200)
    assert response.json()["results"][group]["results"][0]["slug"] == slug


@pytest.mark.parametrize("query", ["2021", "基金会", "volunteer", "中国", "un"])
def test_the_api_search_writes_each_record_as_its_summary_serializer_does(anonymous, query):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from directory.search import first_matches
    from website.api.search import DEFAULT_LIMIT, GROUPS

    answer = anonymous.get("/api/search/", {"q": query})
    assert_status(answer, 200)
    request = Request(APIRequestFactory().get("/api/search/", {"q": query}))
    written = 0
    for key, model, summary, _list in GROUPS:
        records = first_matches(model, query, DEFAULT_LIMIT)[2]
        serialized = summary(records, many=True, context={"request": request}).data
        assert answer.json()["results"][key]["results"] == serialized, key
        written += len(serialized)
    assert written


def test_the_grouped_search_reads_only_the_fields_asked_for():
    from directory.search import first_matches

    whole = first_matches(Event, "2021", 5)
    slim = first_matches(Event, "2021", 5, only=["slug", "start_date"])
    assert slim == whole and slim[2]
    for event in slim[2]:
        assert {"name_en", "description_en", "search_names"} <= event.get_deferred_fields()
        assert "slug" not in event.get_deferred_fields()
    with pytest.raises(ValueError, match=r"Event has no columns \['nickname'\]"):
        first_matches(Event, "2021", 5, only=["slug", "nickname"])


def test_every_list_endpoint_searches_the_same_way(anonymous):
    response = anonymous.get("/api/memberships/", {"search": "lvfahui"})
    assert response.json()["count"] == 0
    response = anonymous.get("/api/memberships/", {"search": "ECOSOC", "page_size": 50})
    in_ecosoc = {
        m["organization"]["slug"]
        for m in response.json()["results"]
        if m["network"]["slug"] == "un-ecosoc-consultative-status"
    }
    assert in_ecosoc == {"cyva", "amity-foundation", "bclarc"}
    response = anonymous.get("/api/talks/", {"search": "qxf"})
    assert {t["speaker"]["slug"] for t in response.json()["results"]} == {"qian-xiaofeng"}


def test_the_search_page_finds_by_pinyin_and_links_to_the_full_list(client):
    response = client.get("/en/search/", {"q": "mincuhui"})
    html = response.content.decode()
    assert "/en/organizations/cango/" in html
    assert 'href="/en/organizations/?search=mincuhui"' in html
    assert (
        "/en/organizations/cango/"
        in client.get("/en/organizations/", {"search": "mincuhui"}).content.decode()
    )


def test_the_admin_finds_by_pinyin(superuser_client):
    response = superuser_client.get(
        reverse("admin:directory_organization_changelist"), {"q": "mincuhui"}
    )
    assert [o.slug for o in response.context["cl"].result_list] == ["cango"]


@pytest.mark.parametrize("query", ["基金会", "volunteer", "京", "UN", "adjjh", "2021", "协会"])
@pytest.mark.parametrize("model", [Organization, Person, Network, Program, Event])
def test_the_grouped_search_counts_and_takes_the_best_records(model, query):
    from directory.search import first_matches

    count, exact, first = first_matches(model, query, 5)
    ranked = list(model.objects.search(query))
    assert (count, exact, first) == (len(ranked), True, ranked[:5])


def make_organizations(*names):
    return [
        Organization.objects.create(slug=f"capped-{number}", name_en=name)
        for number, name in enumerate(names)
    ]


def test_the_grouped_count_stops_at_the_cap(monkeypatch):
    from directory import search

    societies = make_organizations(*(f"Zephyrine Society {number}" for number in range(4)))
    monkeypatch.setattr(search.grouped, "COUNT_CAP", 2)
    count, exact, first = search.first_matches(Organization, "zephyrine", 10)
    assert (count, exact) == (2, False)
    assert len(first) >= 3 and set(first) <= set(societies)
    assert search.first_matches(Organization, "zephyrine society 3", 10)[:2] == (1, True)


def test_an_exact_name_comes_first_even_beyond_the_cap(monkeypatch):
    """Records that only contain the query fill the cap first; the exact and prefix ranks
    are looked up by themselves, so the best records are never cut off."""
    from directory import search

    *_contain, starts, exact = make_organizations(
        *(f"The Quillwort Society {number}" for number in range(4)),
        "Quillwort Friends",
        "Quillwort",
    )
    monkeypatch.setattr(search.grouped, "COUNT_CAP", 2)
    _count, _exact, first = search.first_matches(Organization, "QUILLWORT", 3)
    assert first[:2] == [exact, starts]


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("query", ["quillwort", "quillwort friends", "quill", "society"])
def test_over_the_cap_the_first_records_are_the_full_lists_first(monkeypatch, query, limit):
    """Over the cap each rank is asked by itself, and a worse rank not at all once the
    better ones fill the page: the page must still be the full ranked list's beginning."""
    from directory import search

    make_organizations(
        *(f"The Quillwort Society {number}" for number in range(3)),
        *(f"Quillwort Friends {number}" for number in range(3)),
        "Quillwort",
        "Quillwort Friends",
    )
    described = Organization.objects.get(slug="capped-0")
    described.description_en = "Founded by a society of quillwort friends"
    described.save()
    monkeypatch.setattr(search.grouped, "COUNT_CAP", 1)
    ranked = list(Organization.objects.search(query))
    assert len(ranked) > 1
    assert search.first_matches(Organization, query, limit) == (1, False, ranked[:limit])


def test_short_chinese_queries_rank_whole_names_and_starts_first():
    from directory import search

    containing, starting, whole = [
        Organization.objects.create(slug=f"short-{number}", name_zh=name)
        for number, name in enumerate(["北京鹬鸫会", "鹬鸫之友", "鹬鸫"])
    ]
    assert search.first_matches(Organization, "鹬鸫", 3)[2] == [whole, starting, containing]
    assert search.first_matches(Organization, "鹬", 3)[2] == [starting, whole, containing]


def test_a_capped_count_says_so_on_the_page_and_in_the_api(monkeypatch, client, anonymous):
    from directory import search

    make_organizations(*(f"Zephyrine Society {number}" for number in range(4)))
    monkeypatch.setattr(search.grouped, "COUNT_CAP", 2)
    html = client.get("/en/search/", {"q": "zephyrine"}).content.decode()
    assert '<span class="count">2+</span>' in html
    assert "More than 2 results" in html
    group = anonymous.get("/api/search/", {"q": "zephyrine"}).json()["results"]["organizations"]
    assert (group["count"], group["count_exact"]) == (2, False)
    group = anonymous.get("/api/search/", {"q": "BCLARC"}).json()["results"]["organizations"]
    assert group["count_exact"] is True


@pytest.mark.parametrize("query", ["quokka_fund", "quokka%fund", "quokka\\fund"])
def test_wildcards_in_a_query_are_plain_characters(query):
    from directory.search import first_matches

    literal, *_others = make_organizations(query, "QuokkaXFund", "Quokka Fund", "Quokka__fund")
    count, _exact, first = first_matches(Organization, query, 10)
    assert (count, first) == (1, [literal])
    assert list(Organization.objects.search(query)) == [literal]


def test_a_query_run_together_is_a_name_form_not_looked_for_in_descriptions():
    """ "aide jijinhui" finds the name form "aidejijinhui"; prose is searched only for what
    was typed."""
    from directory.search import first_matches

    named, described, spaced = make_organizations("Wombatfund", "Another", "Wombat Fund Trust")
    described.description_en = "Supported by wombatfund donors"
    described.save()
    assert first_matches(Organization, "wombat fund", 10)[2] == [named, spaced]
    assert list(Organization.objects.search("wombat fund")) == [named, spaced]
    assert first_matches(Organization, "wombatfund", 10)[2] == [named, described]


@pytest.mark.parametrize("text", ["新世界", "New World", "xinshijie"])
def test_a_venue_finds_the_events_held_there(anonymous, text):
    found = anonymous.get("/api/search/", {"q": text}).json()["results"]["events"]
    assert MEETING in [event["slug"] for event in found["results"]]
    listed = anonymous.get("/api/events/", {"search": text}).json()["results"]
    assert MEETING in [event["slug"] for event in listed]


def test_a_result_found_by_its_description_says_so_with_the_words_marked(client):
    response = client.get("/en/search/", {"q": "UNV"})
    assert_status(response, 200)
    page = response.content.decode()
    federation = page.split('href="/en/organizations/beijing-volunteer-service-federation/"')[1]
    item = federation.split("</li>")[0]
    assert "matched: description" in item and "<mark>UNV</mark>" in item
    # a name that holds the words is marked in the name itself, with no second line
    page = client.get("/en/search/", {"q": "Volunteer Service"}).content.decode()
    federation = page.split('href="/en/organizations/beijing-volunteer-service-federation/"')[1]
    item = federation.split("</li>")[0]
    assert "Beijing <mark>Volunteer</mark> Service Federation</a>" in item
    assert "matched:" not in item


def test_a_venue_match_is_named_in_chinese(client):
    page = client.get("/zh-hans/search/", {"q": "新世界"}).content.decode()
    meeting = page.split(f'href="/zh-hans/events/{MEETING}/"')[1].split("</li>")[0]
    assert "<mark>新世界</mark>" in meeting and "匹配" in meeting


def test_marked_words_are_escaped(client):
    Organization.objects.create(
        name_en="Plain", kind="ngo", description_en="<script>alert(1)</script> Plainly"
    )
    page = client.get("/en/search/", {"q": "<script>"}).content.decode()
    assert "<script>alert" not in page


def test_the_words_found_are_marked_where_the_text_holds_them():
    from website.search_matches import marked

    assert marked("Großer Verein Beijing", "beijing") == ("Großer Verein ", "Beijing", "")
    assert marked("A (b) c", "(B)") == ("A ", "(b)", " c")
    assert marked("x" * 60 + "UNV" + "y" * 60, "unv", 10) == (
        "…" + "x" * 10,
        "UNV",
        "y" * 10 + "…",
    )
    assert marked("nothing here", "unv") is None
