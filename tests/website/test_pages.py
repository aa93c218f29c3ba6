"""The public pages, in both languages: content, facets, graph, search, SEO, errors."""

import ast
import gettext
import json
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation

from directory.models import Organization, Source
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

MEETING = "2021-china-philanthropy-going-global-exchange-meeting"
PAGES = [
    "",
    "about/",
    "search/?q=民促会",
    "graph/",
    "organizations/",
    "organizations/cango/",
    "people/",
    "people/qian-xiaofeng/",
    "sources/",
    "sources/cdb-2021-international-networks/",
    "networks/",
    "networks/un-ecosoc-consultative-status/",
    "programs/",
    "programs/serving-un-agencies/",
    "events/",
    f"events/{MEETING}/",
]
LANGUAGES = ["zh-hans", "en"]


def page(client, path, status=200, **params):
    response = client.get(path, params)
    assert_status(response, status)
    return response.content.decode("utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_title_description_and_canonical_link(client, language, path):
    html = page(client, f"/{language}/{path}")
    assert re.search(r"<title>[^<]+</title>", html)
    assert re.search(r'<meta name="description" content="[^"]+">', html)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    assert canonical.startswith(f"http://testserver/{language}/")
    assert '<link rel="alternate" hreflang="en"' in html


def test_the_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == "/en/"


def test_the_language_switcher_links_to_the_same_page_in_the_other_language(client):
    html = page(client, "/en/organizations/cango/")
    assert 'href="/zh-hans/organizations/cango/"' in html
    html = page(client, "/zh-hans/organizations/", kind="foundation")
    assert 'href="/en/organizations/?kind=foundation"' in html


def test_content_follows_the_language_and_falls_back_to_the_other(client):
    Organization.objects.create(name_zh="只有中文名的机构", kind="ngo", slug="only-chinese")
    # The heading ends with its note.
    assert "<h1>China Association for NGO Cooperation<sup" in page(
        client, "/en/organizations/cango/"
    )
    assert "<h1>中国民促会<sup" in page(client, "/zh-hans/organizations/cango/")
    assert "<h1>只有中文名的机构</h1>" in page(client, "/en/organizations/only-chinese/")


def test_the_interface_is_translated_into_chinese(client):
    html = page(client, "/zh-hans/")
    assert "搜索" in html
    with translation.override("zh-hans"):
        assert translation.gettext("Organizations") != "Organizations"


def test_home_shows_counts_recent_events_and_networks(client):
    html = page(client, "/en/")
    assert f"/en/events/{MEETING}/" in html
    assert "/en/networks/vso-china-partners/" in html
    assert re.search(r"<strong>37</strong>\s*organizations", html)


def test_organization_page_shows_names_memberships_people_events_and_sources(client):
    html = page(client, "/en/organizations/cyva/")
    assert "中国青年志愿者协会" in html
    assert "北师大" in page(client, "/en/organizations/beijing-normal-university/")
    assert "/en/networks/un-ecosoc-consultative-status/" in html
    assert "Special" in html and "2010-07" in html
    assert "/en/programs/serving-un-agencies/" in html
    assert "/en/sources/csw-2025-international-volunteering/" in html
    cango = page(client, "/en/organizations/cango/")
    assert "/en/people/wang-xiangyi/" in cango and "Secretary-General" in cango
    assert f"/en/events/{MEETING}/" in cango
    assert "民促会" in cango


def test_organization_page_shows_parent_and_units(client):
    assert "/en/organizations/bnu-international-ngo-foundation-research-center/" in page(
        client, "/en/organizations/beijing-normal-university/"
    )
    assert "/en/organizations/renmin-university-of-china/" in page(
        client, "/en/organizations/ruc-school-of-international-studies/"
    )


def test_organization_page_draws_its_neighbourhood_graph(client):
    html = page(client, "/en/organizations/bclarc/")
    svg = re.search(r'<svg class="graph".*?</svg>', html, re.S).group(0)
    assert 'href="/en/networks/un-ecosoc-consultative-status/"' in svg
    assert 'href="/en/networks/child-protection-lawyers-network/"' in svg
    assert "<script" not in svg
    html = page(client, "/en/organizations/bnu-international-ngo-foundation-research-center/")
    svg = re.search(r'<svg class="graph".*?</svg>', html, re.S).group(0)
    assert 'href="/en/organizations/beijing-normal-university/"' in svg


def test_network_page_lists_members_with_role_level_and_since(client):
    html = page(client, "/en/networks/un-ecosoc-consultative-status/")
    assert "/en/organizations/cyva/" in html and "2010-07" in html
    assert "level not stated" in html
    committee = page(client, "/en/networks/china-international-volunteer-service-committee/")
    founders = re.search(r"Founded by</dt><dd>(.*?)</dd>", committee, re.S).group(1)
    assert "/en/organizations/cnie/" in founders
    assert "/en/organizations/china-volunteer-service-federation/" in founders
    vso = page(client, "/en/networks/vso-china-partners/")
    assert "/en/programs/western-volunteer-service-capacity-building/" in vso


def test_event_page_shows_the_agenda_in_order_with_who_spoke_about_what(client):
    html = page(client, f"/en/events/{MEETING}/")
    agenda = re.search(r'<ol class="agenda">(.*?)</ol>\s*</section>', html, re.S).group(1)
    speakers = re.findall(r'<li id="talk-\d+"><a href="/en/people/([a-z-]+)/">', agenda)
    assert speakers == [
        "zhang-gengrui",
        "cheng-enjiang",
        "qian-xiaofeng",
        "hu-xinyu",
        "niu-shuaishuai",
        "wang-xiangyi",
        "xiao-qing",
        "xu-ying",
        "wang-xiangyi",
        "qian-xiaofeng",
        "you-fei",
    ]
    assert "International networks in the intangible cultural heritage field" in agenda
    assert agenda.count("remote") == 1
    assert 'Moderator</dt><dd><a href="/en/people/xu-ying/"' in html
    assert "/en/organizations/china-development-brief/" in html
    assert "New World Beijing Hotel" in html and "09:00" in html


def test_event_list_is_a_timeline_by_year(client):
    html = page(client, "/en/events/")
    years = re.findall(r'<h2 id="year-(\d{4})">', html)
    assert years == ["2024", "2021"]


def test_person_program_and_source_pages(client):
    assert "/en/organizations/amity-foundation/" in page(client, "/en/people/qian-xiaofeng/")
    program = page(client, "/en/programs/silk-road-hearts-connected/")
    assert "/en/events/2024-china-africa-peoples-forum-volunteer-service-forum/" in program
    irri = page(client, "/en/programs/ford-support-for-irri/")
    assert "Philippines" in irri and "/en/organizations/irri/" in irri


def test_source_page_lists_every_kind_of_record_citing_it(client):
    html = page(client, "/en/sources/csw-2025-international-volunteering/")
    for kind in [
        "Organizations",
        "People",
        "Networks",
        "Memberships",
        "Programs",
        "Events",
        "Positions",
    ]:
        assert re.search(rf"<h3>{kind} <span", html), kind
    assert "/en/organizations/cyva/#memberships" in html


@pytest.mark.parametrize(
    ("params", "expected", "absent"),
    [
        ({"kind": "rescue_team"}, ["blue-sky-rescue", "blue-leopard-rescue"], ["cango"]),
        ({"field": "childrens-rights"}, ["bclarc", "zhicheng-public-interest"], ["cango"]),
        ({"country": "GB"}, ["vso"], ["cango"]),
        ({"city": "beijing"}, ["bclarc", "beijing-huizeren"], ["cango"]),
        ({"network": "vso-china-partners"}, ["cyva", "beijing-huizeren"], ["cango"]),
        ({"consultative_level": "special"}, ["cyva"], ["amity-foundation"]),
        (
            {"kind": "foundation", "field": "emergency-relief"},
            ["one-foundation"],
            ["ford-foundation"],
        ),
        ({"search": "绿发"}, ["cbcgdf"], ["cango"]),
    ],
)
def test_organization_facets_filter_and_combine(client, params, expected, absent):
    html = page(client, "/en/organizations/", **params)
    results = re.search(r'<ul class="records">(.*?)</ul>', html, re.S).group(1)
    for slug in expected:
        assert f"/en/organizations/{slug}/" in results
    for slug in absent:
        assert f"/en/organizations/{slug}/" not in results


def test_facets_show_counts_and_keep_other_filters_in_their_links(client):
    html = page(client, "/en/organizations/", kind="foundation")
    assert re.search(
        r'<span class="selected" aria-current="true">foundation</span>\s*'
        r'<span class="count">5</span>',
        html,
    )
    assert re.search(
        r'href="\?kind=foundation&amp;field=emergency-relief"[^>]*>Emergency relief'
        r'</a>\s*<span class="count">4</span>',
        html,
    )


def test_a_bad_facet_value_is_a_400_with_a_message(client):
    html = page(client, "/en/organizations/", status=400, kind="spaceship")
    assert 'role="alert"' in html


@pytest.mark.parametrize(
    "path",
    [
        "organizations/?page=99",
        "organizations/?page=abc",
        "events/?page=0",
        "organizations/no-such-organization/",
        "no-such-page/",
    ],
)
def test_missing_pages_are_404(client, path):
    page(client, f"/en/{path}", status=404)


def test_the_404_page_is_in_the_requests_language(client):
    html = page(client, "/en/no-such-page/", status=404)
    assert "Page not found" in html and "找不到页面" not in html
    html = page(client, "/zh-hans/no-such-page/", status=404)
    assert "找不到页面" in html and "Page not found" not in html


@pytest.mark.parametrize(("language", "read"), [("en", "read {}."), ("zh-hans", "{} 访问")])
def test_the_about_pages_citation_example_was_read_today(client, language, read):
    html = page(client, f"/{language}/about/")
    assert read.format(timezone.localdate().isoformat()) in html


def test_search_groups_results_by_kind_with_counts_and_links(client):
    html = page(client, "/en/search/", q="volunteer")
    for group in ["organizations", "networks", "programs"]:
        assert f'id="group-{group}"' in html
    assert "/en/organizations/cyva/" in html
    assert 'href="/en/organizations/?search=volunteer"' in html


def test_graph_page_filters_and_links_nodes(client):
    html = page(client, "/en/graph/", network="vso-china-partners")
    svg = re.search(r'<svg class="graph".*?</svg>', html, re.S).group(0)
    assert 'href="/en/organizations/beijing-huizeren/"' in svg
    assert 'href="/en/organizations/bclarc/"' not in svg
    assert 'class="legend"' in html
    page(client, "/en/graph/", status=400, network="no-such-network")


def jsonld(html):
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("organizations/cango/", "Organization"),
        ("people/wang-xiangyi/", "Person"),
        (f"events/{MEETING}/", "Event"),
    ],
)
def test_detail_pages_embed_schema_org_json_ld(client, path, kind):
    data = jsonld(page(client, f"/en/{path}"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == kind
    assert data["url"] == f"http://testserver/en/{path}"


def test_event_json_ld_names_its_mode_organizers_and_speakers(client):
    data = jsonld(page(client, f"/en/events/{MEETING}/"))
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["startDate"] == "2021-04-09T09:00"
    assert {"@type": "Person", "name": "Xu Ying"} in data["performer"]


def test_text_entered_by_editors_is_escaped_in_pages_and_json_ld(client):
    hostile = '</script><script>alert("x")</script> & "quotes" \'apostrophe\''
    organization = Organization.objects.create(
        name_en=hostile, kind="ngo", slug="hostile", description_en=hostile
    )
    organization.sources.add(Source.objects.first())
    html = page(client, "/en/organizations/hostile/")
    assert '<script>alert("x")</script>' not in html
    assert jsonld(html)["name"] == hostile
    assert "&lt;/script&gt;&lt;script&gt;" in html


def test_sitemap_lists_pages_in_both_languages(client):
    index = page(client, "/sitemap.xml")
    assert "sitemap-organization.xml" in index
    organizations = page(client, "/sitemap-organization.xml")
    assert "http://testserver/en/organizations/cango/" in organizations
    assert "http://testserver/zh-hans/organizations/cango/" in organizations
    assert 'hreflang="x-default"' in organizations


def test_robots_txt_points_to_the_sitemap(client):
    text = page(client, "/robots.txt")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_other_sites(client, path):
    html = page(client, f"/en/{path}")
    for address in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
        assert address.startswith(("/", "http://testserver/")), address


def test_forms_are_labelled(client):
    html = page(client, "/en/organizations/")
    for field_id in re.findall(r'<(?:input|select)[^>]+id="([^"]+)"', html):
        assert f'for="{field_id}"' in html, field_id


def test_every_interface_text_is_translated_into_chinese():
    catalogue = (
        Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    ).read_text(encoding="utf-8")
    entries = catalogue.split("\n\n")[1:]
    assert entries
    untranslated = [
        entry
        for entry in entries
        if re.search(r'msgstr(\[0\])? ""\n?$', entry.strip() + "\n") or "#, fuzzy" in entry
    ]
    assert untranslated == []


def po_entries(catalogue):
    """(context, msgid, msgstr) of each singular entry of a .po file."""
    for entry in catalogue.split("\n\n")[1:]:
        found = re.search(
            r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)',
            entry + "\n",
            re.M,
        )
        if found:
            yield tuple(
                group and "".join(ast.literal_eval(part) for part in group.split("\n") if part)
                for group in found.groups()
            )


def test_the_compiled_catalogue_matches_the_translations():
    """The .mo file Django reads is compiled from the .po file; one left uncompiled shows
    English where a translation exists."""
    folder = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    entries = list(po_entries((folder / "django.po").read_text(encoding="utf-8")))
    assert len(entries) > 100
    stale = [
        msgid
        for context, msgid, msgstr in entries
        if (translations.pgettext(context, msgid) if context else translations.gettext(msgid))
        != msgstr
    ]
    assert stale == [], "run manage.py compilemessages -l zh_Hans"


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert_status(response, 301)
    assert response["Location"] == "/static/directory/favicon.svg"
