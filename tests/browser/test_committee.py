"""The Committee on NGOs' statistics, a session page, an organization's history and the
lists of votes and decisions in a real browser: the charts render, under the
Content-Security-Policy, the filters work, and a phone does not scroll sideways."""

import pytest

from tests.browser.conftest import screenshot
from tests.factories import make_committee


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1366, 390])
def test_the_committee_charts_render_at_desktop_and_phone_widths(browse, site, language, width):
    committee = make_committee(6)
    page = browse(width=width, locale="zh-CN" if language == "zh-hans" else "en-US")
    session = committee.sessions[0].date.isoformat()
    for name, path in (
        ("statistics", "committee/"),
        ("session", f"committee/sessions/{session}/"),
        ("history", f"organizations/{committee.applicant.slug}/"),
    ):
        page.goto(f"{site}/{language}/{path}")
        if name == "history":
            # the organization's timeline: each session's decisions, the votes with tallies
            history = page.locator("#committee")
            assert history.is_visible()
            assert history.locator("time").count() == 6
            assert history.locator(".tally").count() == 6
        elif name == "statistics":
            assert page.locator("svg.chart").count() == 2
            assert page.locator("svg.chart title").first.text_content()
            bars = page.locator("svg.chart rect.bar")
            assert bars.count() > 0
            assert bars.first.bounding_box()["height"] > 0
        else:
            assert page.locator("#vote-1").is_visible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} scrolls sideways ({scroll_width}px)"
        screenshot(page, f"committee-{name}-{language}-{width}")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1366, 390])
def test_a_reader_finds_how_china_voted_from_the_header(browse, site, language, width):
    make_committee(3)
    page = browse(width=width, locale="zh-CN" if language == "zh-hans" else "en-US")
    page.goto(f"{site}/{language}/")
    page.locator(f'.main-nav a[href="/{language}/committee/"]').click()
    page.wait_for_url(f"**/{language}/committee/")
    page.locator(f'.committee-nav a[href="/{language}/committee/votes/"]').click()
    page.wait_for_url(f"**/{language}/committee/votes/")
    page.select_option("#vote-member-state", "CN")
    page.select_option("#vote-choice", "against")
    page.locator(".committee-filters button[type=submit]").click()
    page.wait_for_url("**member_state=CN**")
    rows = page.locator("table.committee-vote-list tbody tr")
    assert rows.count() == 3
    assert rows.first.locator("td").last.text_content().strip() == (
        "反对" if language == "zh-hans" else "against"
    )
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the votes list scrolls sideways ({scroll_width}px)"
    screenshot(page, f"committee-votes-{language}-{width}")
    page.goto(f"{site}/{language}/committee/decisions/?kind=deferred")
    assert page.locator("table.committee-decision-list tbody tr").count() == 2
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the decisions list scrolls sideways ({scroll_width}px)"
