"""The Committee on NGOs' statistics and a session page in a real browser: the charts
render, under the Content-Security-Policy, and a phone does not scroll sideways."""

import pytest

from tests.browser.conftest import screenshot
from tests.factories import make_committee


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1366, 390])
def test_the_committee_charts_render_at_desktop_and_phone_widths(browse, site, language, width):
    committee = make_committee(6)
    page = browse(width=width, locale="zh-CN" if language == "zh-hans" else "en-US")
    session = committee.sessions[0].date.isoformat()
    for name, path in (("statistics", "committee/"), ("session", f"committee/sessions/{session}/")):
        page.goto(f"{site}/{language}/{path}")
        if name == "statistics":
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
