"""A newcomer's journey and the site's interactive parts, in a real browser."""

import re

import pytest

from tests.browser.conftest import screenshot
from tests.website.test_pages import PAGES

pytestmark = pytest.mark.django_db(transaction=True)

JOURNEY = {
    "en": {
        "locale": "en-US",
        "switch_to": "简体中文",
        "cango": "China Association for NGO Cooperation",
        "talk": "International networks in the intangible cultural heritage field",
        "meeting": "China Philanthropy Going Global",
        "amity": "Amity Foundation",
        "ecosoc": "UN ECOSOC consultative status",
    },
    "zh-hans": {
        "locale": "zh-CN",
        "switch_to": "English",
        "cango": "中国民促会",
        "talk": "非遗圈的国际网络",
        "meeting": "中国公益国际化",
        "amity": "爱德基金会",
        "ecosoc": "联合国经社理事会咨商地位",
    },
}


# A click that navigates returns once the new address is committed, before its document
# has loaded: each step waits for the page it leads to (wait_for_url waits for "load")
# before it reads or leaves it.


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_newcomer_journey(browse, site, language, javascript):
    words = JOURNEY[language]
    page = browse(locale=words["locale"], javascript=javascript)
    page.goto(f"{site}/")
    assert page.url == f"{site}/{language}/"
    suffix = f"{language}-{'js' if javascript else 'nojs'}"
    screenshot(page, f"journey-1-home-{suffix}")

    # Switch language and back: the address keeps the language.
    page.get_by_role("link", name=words["switch_to"]).click()
    other = "zh-hans" if language == "en" else "en"
    page.wait_for_url(f"{site}/{other}/")
    page.go_back()
    page.wait_for_url(f"{site}/{language}/")

    page.locator("#site-search-q").fill("民促会")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    screenshot(page, f"journey-2-search-{suffix}")
    page.get_by_role("link", name=words["cango"]).first.click()
    page.wait_for_url(f"{site}/{language}/organizations/cango/")
    # The name, then its note: "[1]".
    assert re.fullmatch(rf"{words['cango']}\[\d+\]", page.locator("h1").inner_text())
    screenshot(page, f"journey-3-cango-{suffix}")

    page.locator("#events-heading + ul a", has_text=words["meeting"]).first.click()
    page.wait_for_url(
        re.compile(r"/events/2021-china-philanthropy-going-global-exchange-meeting/$")
    )
    agenda = page.locator(".agenda")
    assert words["talk"] in agenda.inner_text()
    assert agenda.locator("li[id^=talk-]").count() == 11
    screenshot(page, f"journey-4-meeting-{suffix}")

    agenda.get_by_role("link", name=words["amity"]).first.click()
    page.wait_for_url(f"{site}/{language}/organizations/amity-foundation/")
    page.locator("#memberships").get_by_role("link", name=words["ecosoc"]).click()
    page.wait_for_url(f"{site}/{language}/networks/un-ecosoc-consultative-status/")
    assert "2010-07" in page.locator("#members").inner_text()
    screenshot(page, f"journey-5-network-{suffix}")


def test_facets_filter_and_combine_in_the_address(browse, site):
    page = browse()
    page.goto(f"{site}/en/organizations/")
    page.locator(".facets a[data-facet=kind]", has_text="foundation").click()
    page.wait_for_url(lambda url: "kind=foundation" in url)
    assert page.locator("#results-heading").inner_text() == "5 organizations"
    page.locator(".facets a[data-facet=field]", has_text="Emergency relief").click()
    page.wait_for_url(lambda url: "kind=foundation" in url and "field=emergency-relief" in url)
    names = page.locator(".records .record-name").all_inner_texts()
    assert "One Foundation" in names and "Ford Foundation" not in names
    screenshot(page, "facets-combined")
    page.get_by_role("link", name="Clear all filters").click()
    page.wait_for_url(f"{site}/en/organizations/")


def test_graph_renders_and_a_node_click_navigates(browse, site):
    # The server's SVG, as drawn where script does not run; where it does, the interactive
    # graph takes its place (tests/browser/test_graph.py).
    page = browse(javascript=False)
    page.goto(f"{site}/en/graph/")
    nodes = page.locator("svg.graph a.node")
    assert nodes.count() > 20
    assert page.locator(".legend li").count() == 3
    screenshot(page, "graph")
    page.locator('svg.graph a[href="/en/organizations/bclarc/"]').click()
    page.wait_for_url(f"{site}/en/organizations/bclarc/")
    assert page.locator("svg.graph a.node.centre").count() == 1


def test_graph_nodes_are_reachable_with_the_keyboard(browse, site):
    page = browse()
    page.goto(f"{site}/en/networks/vso-china-partners/")
    node = page.locator('svg.graph a[href="/en/organizations/beijing-huizeren/"]')
    node.focus()
    assert page.evaluate("document.activeElement.getAttribute('href')") == (
        "/en/organizations/beijing-huizeren/"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/en/organizations/beijing-huizeren/")


def test_pages_read_well_on_a_phone(browse, site):
    page = browse(width=390)
    page.goto(f"{site}/en/organizations/cyva/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    screenshot(page, "phone-organization")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1366, 390])
def test_every_page_loads_cleanly_and_is_captured(browse, site, language, width):
    page = browse(width=width, locale="zh-CN" if language == "zh-hans" else "en-US")
    for path in PAGES:
        response = page.goto(f"{site}/{language}/{path}")
        assert response.status == 200, path
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} scrolls sideways at {width}px ({scroll_width}px)"
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
        screenshot(page, f"page-{language}-{width}-{name}")


# The Content-Security-Policy forbids inline script and style: a page that needed either
# would log a console error, which the watcher turns into a failure.


def test_json_ld_blocks_pass_the_policy(browse, site):
    page = browse()
    page.goto(f"{site}/en/organizations/cango/")
    assert page.locator('script[type="application/ld+json"]').count() == 1


def test_the_admin_works_under_the_policy(browse, site):
    from django.contrib.auth.models import User

    User.objects.create_superuser("dora", "dora@example.org", "a-long-password")
    page = browse()
    page.goto(f"{site}/admin/")
    page.locator("#id_username").fill("dora")
    page.locator("#id_password").fill("a-long-password")
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{site}/admin/")
    page.goto(f"{site}/admin/directory/organization/?q=BCLARC")
    page.locator("#result_list tbody a").first.click()
    # The change form's scripts: collapsible fieldsets, autocomplete, inlines.
    page.locator(".select2-container").first.wait_for()
    screenshot(page, "admin-organization")
    page.get_by_role("link", name="History").click()
    page.wait_for_url(re.compile(r"/history/"))
    assert page.locator("#change-history, table").count() > 0
    page.goto(f"{site}/admin/directory/organization/export/")
    # import-export's "select all" box works through an inline handler the policy allows
    # by its hash.
    fields = page.locator(".selectable-field-export-row input[type=checkbox]:checked")
    assert fields.count() > 5
    page.locator("input[name=select-all-toggle]").uncheck()
    assert fields.count() == 0
    screenshot(page, "admin-export")


def test_the_api_documentation_works_under_the_policy(browse, site):
    page = browse()
    page.goto(f"{site}/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10
    screenshot(page, "api-docs")


def test_the_browsable_api_works_under_the_policy(browse, site):
    page = browse()
    page.goto(f"{site}/api/organizations/")
    assert "China Association for NGO Cooperation" in page.locator(".response-info").inner_text()
    screenshot(page, "browsable-api")


def test_the_chinese_organization_list_is_in_pinyin_order_and_sorts_by_a_click(browse, site):
    page = browse(locale="zh-CN", javascript=False)
    page.goto(f"{site}/zh-hans/organizations/")
    names = page.locator(".records .record-name").all_inner_texts()
    beijing = next(n for n, name in enumerate(names) if name.startswith("北京"))
    assert names.index("爱德基金会") == 0 < beijing
    assert not any(name.startswith("中国") for name in names)  # "zhong...": on page 2
    screenshot(page, "list-order-zh-by-name")
    page.locator('a[rel="next"]').click()
    page.wait_for_url(re.compile(r"page=2"))
    assert any(
        name.startswith("中国") for name in page.locator(".records .record-name").all_inner_texts()
    )
    page.go_back()
    page.wait_for_url(f"{site}/zh-hans/organizations/")

    page.locator(".sort-links").get_by_role("link", name="关联最多").click()
    page.wait_for_url(re.compile(r"/zh-hans/organizations/\?sort=connected$"))
    assert page.locator('.sort-links [aria-current="true"]').inner_text() == "关联最多"
    connected = page.locator(".records .record-name").all_inner_texts()
    assert connected != names and connected[0] == "中国青年志愿者协会"
    screenshot(page, "list-order-zh-most-connected")
