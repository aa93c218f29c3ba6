"""Countries suggested by organizations' names: the rules, the editors' review list that
accepts them, and the import that never sets them by itself."""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.countries import suggest_country
from directory.models import Organization, OrganizationKind, OrganizationName
from tests.helpers import assert_status

REVIEW = "admin:directory_organization_country_suggestions"


def suggested(*names):
    suggestion = suggest_country(names)
    return None if suggestion is None else (suggestion.country, suggestion.matched)


# The rules


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("China Youth Development Foundation", ("CN", "China")),
        ("Chinese Society for Corrosion and Protection", ("CN", "Chinese")),
        ("Beijing Crafts Council", ("CN", "Beijing")),
        ("ForNGO \u2013 NGO Legal Research and Service Center, Shanghai", ("CN", "Shanghai")),
        ("United Nations Association of China", ("CN", "China")),
        ("中国青年志愿者协会", ("CN", "中国")),
        ("北京市协作者社会工作发展中心", ("CN", "北京")),
    ],
)
def test_china_chinese_and_its_cities_suggest_china(name, expected):
    assert suggested(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hong Kong Federation of Women", ("HK", "Hong Kong")),
        ("Hong Kong Women's Association, China", ("HK", "Hong Kong")),
        ("中国香港妇女会", ("HK", "香港")),
        ("Women's General Association of Macau", ("MO", "Macau")),
        ("Taiwan Fund for Children and Families", ("TW", "Taiwan")),
    ],
)
def test_hong_kong_macao_and_taiwan_have_their_own_codes_even_with_china(name, expected):
    assert suggested(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Nigerian Women's Association", ("NG", "Nigerian")),
        ("Kenya Human Rights Commission", ("KE", "Kenya")),
        ("Rural Women of India", ("IN", "India")),
        ("Pakistani Doctors Forum", ("PK", "Pakistani")),
        ("Cameroon Youth Network", ("CM", "Cameroon")),
        ("Niger Delta Womens Forum", ("NG", "Niger Delta")),
        ("Association des femmes du Niger", ("NE", "Niger")),
        ("Papua New Guinea Council of Churches", ("PG", "Papua New Guinea")),
        ("South Sudan Youth Forum", ("SS", "South Sudan")),
        (
            "Democratic Republic of the Congo Women Network",
            ("CD", "Democratic Republic of the Congo"),
        ),
        ("The Jordan Anti-Drugs Society", ("JO", "Jordan")),
        ("AMERICAN LIBRARY ASSOCIATION", ("US", "AMERICAN")),
    ],
)
def test_a_country_name_or_demonym_as_a_whole_word_suggests_it(name, expected):
    assert suggested(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Association des femmes du Cameroun", ("CM", "Cameroun")),
        ("Association Burkinabè pour la paix", ("BF", "Burkinabè")),
        ("Association Burkinabe pour la paix", ("BF", "Burkinabe")),
        ("Fundación de México", ("MX", "México")),
        ("Red colombiana de mujeres", ("CO", "colombiana")),
        ("Organisation suisse d\u2019aide aux réfugiés", ("CH", "suisse")),
        ("Association des jeunes de Côte d\u2019Ivoire", ("CI", "Côte d\u2019Ivoire")),
    ],
)
def test_french_and_spanish_forms_suggest_their_country(name, expected):
    assert suggested(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "International Peace Bureau",
        "Latin American Council of Churches",
        "Federation of Saskatchewan Indian Nations",
        "Congolese Women's Network",
        "Citizens' Alliance for North Korean Human Rights",
        "Africa Development Network",
        "Pan American Health Education Foundation",
        "Chinatown Community Association",  # a word that begins with a place is no place
        "",
    ],
)
def test_names_that_name_no_single_country_suggest_nothing(name):
    assert suggested(name) is None


def test_two_countries_suggest_none_unless_one_leads():
    assert suggested("Friends in Kenya and Uganda") is None
    assert suggested("Pakistan India Peace Forum") == ("PK", "Pakistan")
    assert suggested("The Nigerian Association in Ghana") == ("NG", "Nigerian")
    assert suggested("Association of Nigerian Women in Ghana") == ("NG", "Nigerian")
    assert suggested("Youth for Peace, Kenya and Uganda") is None


def test_every_name_counts_main_and_other():
    assert suggested("Rural Women's Network", "", "Réseau des femmes rurales du Mali") == (
        "ML",
        "Mali",
    )
    # Names that disagree, none leading: no suggestion.
    assert suggested("Help for Kenya", "", "Help for Uganda") is None


# The review list


def make(name_en, country="", other_names=()):
    organization = Organization.objects.create(
        name_en=name_en, kind=OrganizationKind.NGO, country=country
    )
    for name in other_names:
        OrganizationName.objects.create(
            organization=organization,
            name=name,
            language="en",
            kind=OrganizationName.Kind.ALIAS,
        )
    return organization


@pytest.fixture
def suggestions(db):
    return {
        "nigeria": make("Nigerian Youth Forum for Peace"),
        "kenya": make("Green Belt Friends", other_names=["Kenya Green Belt Friends"]),
        "beijing": make("Beijing Greenovation Institute"),
        "international": make("International Friends of Peace"),
        "placed": make("Cameroon Women Network", country="FR"),
    }


@pytest.fixture
def editor_client(client, editor_user):
    editor_user.is_staff = True
    editor_user.save()
    client.force_login(editor_user)
    return client


def test_the_review_list_is_for_editors_who_may_change_organizations(client, suggestions):
    viewer = User.objects.create_user("dora", "dora@example.org", "password", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_organization"))
    client.force_login(viewer)
    assert_status(client.get(reverse(REVIEW)), 403)
    assert_status(client.post(reverse(REVIEW), {"selected": [suggestions["nigeria"].pk]}), 403)
    assert Organization.objects.get(pk=suggestions["nigeria"].pk).country == ""


def test_the_organizations_list_links_to_the_review_list(editor_client):
    page = editor_client.get(reverse("admin:directory_organization_changelist"))
    assert_status(page, 200)
    assert reverse(REVIEW) in page.content.decode()


def test_the_review_list_shows_suggestions_with_the_matched_words(editor_client, suggestions):
    page = editor_client.get(reverse(REVIEW))
    assert_status(page, 200)
    rows = {organization.slug: suggestion for organization, suggestion in page.context["rows"]}
    ours = {slug: rows[slug] for slug in rows if slug in {o.slug for o in suggestions.values()}}
    assert {slug: (s.country, s.matched) for slug, s in ours.items()} == {
        suggestions["nigeria"].slug: ("NG", "Nigerian"),
        suggestions["kenya"].slug: ("KE", "Kenya"),
        suggestions["beijing"].slug: ("CN", "Beijing"),
    }
    content = page.content.decode()
    assert "Nigerian Youth Forum for Peace" in content and "Nigerian" in content
    assert "International Friends of Peace" not in content
    assert "Cameroon Women Network" not in content  # it has a country


def test_the_review_list_filters_by_suggested_country(editor_client, suggestions):
    page = editor_client.get(reverse(REVIEW), {"country": "KE"})
    assert_status(page, 200)
    assert {organization.pk for organization, _s in page.context["rows"]} >= {
        suggestions["kenya"].pk
    }
    assert {s.country for _o, s in page.context["rows"]} == {"KE"}
    counts = {code: count for code, _name, count in page.context["choices"]}
    assert counts["KE"] >= 1 and counts["NG"] >= 1  # every suggested country, to choose
    assert "FR" not in counts


def test_accepting_selected_suggestions_sets_them_in_one_change_set(
    editor_client, editor_user, suggestions
):
    chosen = [suggestions["nigeria"], suggestions["beijing"]]
    answer = editor_client.post(reverse(REVIEW), {"selected": [o.pk for o in chosen]})
    assert_status(answer, 302)
    assert Organization.objects.get(pk=suggestions["nigeria"].pk).country == "NG"
    assert Organization.objects.get(pk=suggestions["beijing"].pk).country == "CN"
    assert Organization.objects.get(pk=suggestions["kenya"].pk).country == ""  # not ticked
    for organization in chosen:
        latest = organization.history.first()
        assert latest.history_type == "~"
        assert latest.history_change_reason == "Country suggested by the name, accepted"
        assert latest.history_user == editor_user
    assert set(Organization.objects.filter(country="CN").values_list("pk", flat=True)) >= {
        suggestions["beijing"].pk
    }


def test_accepting_leaves_an_organization_that_got_a_country_meanwhile(editor_client, suggestions):
    listed = editor_client.get(reverse(REVIEW), {"country": "NG"})
    assert suggestions["nigeria"].pk in {o.pk for o, _s in listed.context["rows"]}
    Organization.objects.filter(pk=suggestions["nigeria"].pk).update(country="GH")
    history_before = suggestions["nigeria"].history.count()
    answer = editor_client.post(
        reverse(REVIEW), {"selected": [suggestions["nigeria"].pk, suggestions["kenya"].pk]}
    )
    assert_status(answer, 302)
    assert Organization.objects.get(pk=suggestions["nigeria"].pk).country == "GH"
    assert suggestions["nigeria"].history.count() == history_before
    assert Organization.objects.get(pk=suggestions["kenya"].pk).country == "KE"
    messages = [str(message) for message in editor_client.get(reverse(REVIEW)).context["messages"]]
    assert any("1 had a country set meanwhile" in message for message in messages)


def test_the_admin_action_sets_the_suggested_country_of_the_selected_rows(
    editor_client, suggestions
):
    answer = editor_client.post(
        reverse("admin:directory_organization_changelist"),
        {
            "action": "set_suggested_country",
            "_selected_action": [suggestions["kenya"].pk, suggestions["international"].pk],
        },
    )
    assert_status(answer, 302)
    assert Organization.objects.get(pk=suggestions["kenya"].pk).country == "KE"
    assert Organization.objects.get(pk=suggestions["international"].pk).country == ""


def test_the_review_list_reads_a_fixed_number_of_queries(editor_client, suggestions):
    for number in range(120):
        make(f"Nigerian Society Number {number}")
    with CaptureQueriesContext(connection) as few:
        assert_status(editor_client.get(reverse(REVIEW), {"country": "KE"}), 200)
    with CaptureQueriesContext(connection) as many:
        assert_status(editor_client.get(reverse(REVIEW), {"page": "2"}), 200)
    # The user (the session is in the cache), their permissions (their own and their
    # groups'), the names of the organizations without a country, their other names, and
    # the page's organizations.
    assert len(few) == len(many) == 6, [query["sql"][:60] for query in many]


def test_the_suggestions_read_two_queries_however_many(django_assert_num_queries, suggestions):
    # The names of the organizations without a country, and their other names.
    with django_assert_num_queries(2):
        found = Organization.objects.country_suggestions()
    assert found[suggestions["kenya"].pk].matched == "Kenya"


def test_accepting_reads_two_queries_and_writes_two_for_each(
    django_assert_num_queries, suggestions
):
    chosen = Organization.objects.filter(
        pk__in=[suggestions["nigeria"].pk, suggestions["kenya"].pk]
    )
    # The organizations (locked) and their other names; for each, its update and its
    # history record; the savepoint and its release around them.
    with django_assert_num_queries(2 + 2 * 2 + 2):
        assert chosen.accept_country_suggestions() == 2
