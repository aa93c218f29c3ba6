"""The reader on a phone (an iPhone's 390 by 844) and at a laptop's 1366: the first result
within the first screen, the filters behind one button, tables read as labelled cards, tap
targets a fingertip can hit and nothing wider than the screen."""

import pytest

from tests.browser.conftest import open_page, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
LOCALES = {"en": "en-US", "zh-hans": "zh-CN"}
# What Apple and the W3C (WCAG 2.5.5) ask of a tap target, in CSS pixels.
TAP = 44


def sideways(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def too_small(locator):
    """The targets in `locator` shorter than a fingertip: [(text, height), ...]."""
    return [
        (target.inner_text(), box["height"])
        for target in locator.all()
        if target.is_visible()
        and (box := target.bounding_box()) is not None
        and box["height"] < TAP
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_phone_reaches_the_first_result_within_one_screen(browse, site, language):
    page = browse(locale=LOCALES[language], **PHONE)
    page.goto(f"{site}/{language}/organizations/")
    first = page.locator(".records > li").first.bounding_box()
    assert first["y"] < PHONE["height"], f"the first result starts at {first['y']}px"
    assert not page.locator(".facets a[data-facet]").first.is_visible()
    assert sideways(page) <= 0
    screenshot(page, f"phone-organizations-{language}")

    # One tap opens the filters.
    page.locator("details.filters > summary").click()
    facet = page.locator(".facets a[data-facet=kind]").first
    assert facet.is_visible()
    screenshot(page, f"phone-organizations-filters-{language}")
    facet.click()
    page.wait_for_url(lambda url: "kind=" in url)
    assert page.locator("details.filters > summary").inner_text() == (
        # Chinese text takes full-width parentheses.
        "Filters (1 active)" if language == "en" else "筛选（已选 1 项）"  # noqa: RUF001
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_laptop_shows_the_filters_beside_the_results(browse, site, language):
    page = browse(locale=LOCALES[language], **LAPTOP)
    page.goto(f"{site}/{language}/organizations/")
    assert not page.locator("details.filters > summary").is_visible()
    assert page.locator(".facets a[data-facet=kind]").first.is_visible()
    assert sideways(page) <= 0
    screenshot(page, f"laptop-organizations-{language}")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_tap_targets_are_a_fingertip_high_on_a_phone(browse, site, language):
    page = browse(locale=LOCALES[language], **PHONE)
    page.goto(f"{site}/{language}/organizations/")
    assert too_small(page.locator(".main-nav a")) == []
    assert too_small(page.locator(".languages a")) == []
    assert too_small(page.locator(".pagination a")) == []
    assert too_small(page.locator("button, details.filters > summary")) == []
    page.locator("details.filters > summary").click()
    assert too_small(page.locator(".facets a")) == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_membership_table_reads_as_labelled_cards_on_a_phone(browse, site, language):
    page = browse(locale=LOCALES[language], **PHONE)
    page.goto(f"{site}/{language}/organizations/amity-foundation/")
    table = page.locator("#memberships table")
    cells = table.locator("tbody td")
    assert cells.count() > 0
    labels = [
        page.evaluate("cell => getComputedStyle(cell, '::before').content", cell.element_handle())
        for cell in cells.all()
    ]
    # Each cell names its column (the label is drawn by the stylesheet, so it is not in the
    # text): no bare "— —" for a membership without dates.
    since = "Since" if language == "en" else "开始时间"
    assert all(label.endswith(': "') for label in labels), labels
    assert f'"{since}: "' in labels
    assert sideways(page) <= 0
    screenshot(page, f"phone-memberships-{language}")


@pytest.mark.parametrize("width", [PHONE, LAPTOP], ids=["phone", "laptop"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_header_search_box_shows_its_whole_placeholder(browse, site, language, width):
    page = browse(locale=LOCALES[language], **width)
    page.goto(f"{site}/{language}/")
    box = page.locator("#site-search-q")
    # The placeholder's width in the box's font against the room inside the box.
    room, needed = box.evaluate(
        """input => {
            const style = getComputedStyle(input);
            const context = document.createElement("canvas").getContext("2d");
            context.font = style.font;
            const room = input.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return [room, context.measureText(input.placeholder).width];
        }"""
    )
    assert needed <= room, f"the placeholder needs {needed}px, the box has {room}px"
    assert sideways(page) <= 0


LISTS = ["organizations", "people", "networks", "programs", "events", "sources"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_list_starts_within_the_first_screen_of_a_phone(browse, site, language):
    page = browse(locale=LOCALES[language], **PHONE)
    for name in LISTS:
        page.goto(f"{site}/{language}/{name}/")
        first = page.locator(".records > li").first.bounding_box()
        assert first["y"] < PHONE["height"], f"/{name}/: the first result at {first['y']}px"
        assert sideways(page) <= 0, f"/{name}/ scrolls sideways"
        assert too_small(page.locator(".sort-links a, .pagination a")) == [], name


@pytest.mark.parametrize("width", [PHONE, LAPTOP], ids=["phone", "laptop"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_missing_page_is_in_the_sites_frame(browser, site, language, width):
    # Opened by hand: the watcher of `browse` counts the 404 asked for as a fault.
    context, page, watcher = open_page(browser, site, locale=LOCALES[language], **width)
    try:
        address = f"{site}/{language}/no-such-page/"
        response = page.goto(address)
        assert response.status == 404
        assert page.locator("h1").inner_text() == (
            "Page not found" if language == "en" else "找不到页面"
        )
        assert page.locator(".main-nav").is_visible()
        assert page.locator(".site-footer").is_visible()
        assert sideways(page) <= 0
        screenshot(page, f"not-found-{language}-{width['width']}")
        # The 404 itself, and the console's word about it; nothing else.
        assert [
            problem
            for problem in watcher.problems
            if problem != f"404 for {address}"
            and not problem.startswith("console error: Failed to load resource")
        ] == []
    finally:
        context.close()
