"""The relationship graph in a real browser: the interactive graph (Cytoscape) where script
runs, the server's SVG where it does not. At a desktop's and a phone's width, in both
languages: labels never overlap, the nodes fill the drawing, zoom, a node's page, the year."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": 1366, "phone": 390}
LANGUAGES = {"en": "en-US", "zh-hans": "zh-CN"}
PAGES = {
    "full": "graph/",
    "organization": "organizations/cyva/",
    "network": "networks/vso-china-partners/",
}
READY = "figure.graph-figure[data-graph-state=ready]"
CY = "document.querySelector('.graph-canvas').cytoscape"


def overlapping(boxes):
    """The pairs of boxes ({x1, y1, x2, y2, label}) that overlap."""
    pairs = []
    for index, first in enumerate(boxes):
        for second in boxes[index + 1 :]:
            if (
                first["x1"] < second["x2"]
                and second["x1"] < first["x2"]
                and first["y1"] < second["y2"]
                and second["y1"] < first["y2"]
            ):
                pairs.append((first["label"], second["label"]))
    return pairs


def spread(centres, width, height):
    """How much of the drawing's width and height the nodes' centres span."""
    xs = [x for x, _y in centres]
    ys = [y for _x, y in centres]
    return (max(xs) - min(xs)) / width, (max(ys) - min(ys)) / height


def open_graph(browse, site, language, width, path, javascript=True, touch=False):
    page = browse(
        locale=LANGUAGES[language], width=WIDTHS[width], javascript=javascript, touch=touch
    )
    page.goto(f"{site}/{language}/{path}")
    if javascript:
        page.locator(READY).wait_for()
    return page


def node_on_screen(page, which):
    """Where on the screen the node `which` (a JavaScript test of a node) is drawn, the
    drawing scrolled into view."""
    page.locator(".graph-canvas").scroll_into_view_if_needed()
    # Cytoscape learns of the scroll on the next frames.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)))")
    return page.evaluate(
        f"""() => {{
            const node = {CY}.nodes().filter({which})[0];
            const box = document.querySelector('.graph-canvas').getBoundingClientRect();
            return [box.left + node.renderedPosition().x, box.top + node.renderedPosition().y];
        }}"""
    )


def cytoscape_boxes(page):
    return page.evaluate(
        f"""() => {CY}.nodes().map(node => Object.assign(
            {{label: node.data('label')}},
            node.renderedBoundingBox({{includeLabels: true, includeOverlays: false}})))"""
    )


def cytoscape_spread(page):
    centres = page.evaluate(
        f"() => {CY}.nodes().map(node => [node.renderedPosition().x, node.renderedPosition().y])"
    )
    size = page.evaluate(f"() => [{CY}.width(), {CY}.height()]")
    return spread(centres, *size)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("which", PAGES)
def test_the_interactive_graph_is_readable(browse, site, which, language, width):
    page = open_graph(browse, site, language, width, PAGES[which])
    # The SVG is out of sight, its links still in the page for the keyboard.
    assert page.locator(".graph-canvas").is_visible()
    assert not page.locator("svg.graph").is_visible() or page.evaluate(
        "document.querySelector('svg.graph').getBoundingClientRect().width <= 1"
    )
    boxes = cytoscape_boxes(page)
    assert len(boxes) > 3
    assert overlapping(boxes) == []
    labels = [box["label"] for box in boxes]
    assert len(set(labels)) == len(labels), labels
    across, down = cytoscape_spread(page)
    assert across >= 0.5 and down >= 0.5, (across, down)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= WIDTHS[width], f"the page scrolls sideways ({scroll}px)"
    screenshot(page, f"graph-{which}-{language}-{width}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("which", PAGES)
def test_the_svg_fallback_is_readable(browse, site, which, language, width):
    page = open_graph(browse, site, language, width, PAGES[which], javascript=False)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('svg.graph a.node')].map(link => {
            const text = link.querySelector('text').getBBox();
            const shape = link.querySelector('circle, rect, polygon').getBBox();
            return {label: link.querySelector('text').textContent,
                    x1: Math.min(text.x, shape.x), y1: Math.min(text.y, shape.y),
                    x2: Math.max(text.x + text.width, shape.x + shape.width),
                    y2: Math.max(text.y + text.height, shape.y + shape.height)};
        })"""
    )
    assert len(boxes) > 3
    assert overlapping(boxes) == []
    labels = [box["label"] for box in boxes]
    assert len(set(labels)) == len(labels), labels
    view = page.evaluate("document.querySelector('svg.graph').viewBox.baseVal.width")
    view_height = page.evaluate("document.querySelector('svg.graph').viewBox.baseVal.height")
    centres = [((b["x1"] + b["x2"]) / 2, b["y1"]) for b in boxes]
    across, down = spread(centres, view, view_height)
    assert across >= 0.5 and down >= 0.5, (across, down)
    screenshot(page, f"graph-svg-{which}-{language}-{width}")


def test_the_unv_page_names_each_node_once(browse, site):
    page = open_graph(browse, site, "en", "desktop", "organizations/unv/")
    labels = page.evaluate(f"() => {CY}.nodes().map(node => node.data('label'))")
    assert "UNV" in labels
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize("width", WIDTHS)
def test_zoom_changes_the_zoom_level(browse, site, width):
    page = open_graph(browse, site, "en", width, PAGES["full"])
    before = page.evaluate(f"() => {CY}.zoom()")
    page.get_by_role("button", name="Zoom in").click()
    after_button = page.evaluate(f"() => {CY}.zoom()")
    assert after_button > before
    box = page.locator(".graph-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 400)
    page.wait_for_function(f"() => {CY}.zoom() < {after_button}")
    page.get_by_role("button", name="Fit").click()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_selecting_a_node_opens_its_page(browse, site, language, width):
    page = open_graph(browse, site, language, width, PAGES["network"])
    target = f"/{language}/organizations/beijing-huizeren/"
    x, y = node_on_screen(page, f"n => n.data('url') === '{target}'")
    page.mouse.move(x, y, steps=4)
    assert page.locator("[data-status]").inner_text().strip() != ""
    page.mouse.click(x, y)
    page.wait_for_url(f"{site}{target}")


def test_hovering_a_node_highlights_its_ties(browse, site):
    page = open_graph(browse, site, "en", "desktop", PAGES["network"])
    x, y = node_on_screen(page, "n => n.data('centre')")
    page.mouse.move(x, y, steps=4)
    highlighted = page.evaluate(f"() => {CY}.edges('.highlighted').length")
    faded = page.evaluate(f"() => {CY}.elements('.faded').length")
    assert highlighted > 0 and faded > 0
    assert page.locator(".graph-canvas").get_attribute("title") == "VSO strategic partners in China"
    screenshot(page, "graph-hover")


def test_keyboard_focus_highlights_a_node(browse, site):
    page = open_graph(browse, site, "en", "desktop", PAGES["network"])
    page.locator('svg.graph a[href="/en/organizations/beijing-huizeren/"]').focus()
    assert page.evaluate(f"() => {CY}.nodes('.highlighted').length") >= 2
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/en/organizations/beijing-huizeren/")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_early_year_draws_fewer_ties(browse, site, width):
    page = open_graph(browse, site, "en", width, PAGES["full"])
    every = page.evaluate(f"() => {CY}.edges().length")
    slider = page.locator("input[type=range][data-year]")
    assert slider.is_visible()
    first = int(slider.get_attribute("min"))
    slider.fill(str(first))
    page.wait_for_function(
        f"() => document.querySelector('figure.graph-figure').dataset.graphYear === '{first}'"
    )
    page.locator(READY).wait_for()
    assert page.evaluate(f"() => {CY}.edges().length") < every
    assert page.locator("[data-year-output]").inner_text() == f"As in {first}"
    assert f"year={first}" in page.url
    screenshot(page, f"graph-year-{width}")


def test_the_filters_redraw_without_a_page_load(browse, site):
    page = open_graph(browse, site, "en", "desktop", PAGES["full"])
    every = page.evaluate(f"() => {CY}.nodes().length")
    page.evaluate("window.stayed = true")
    page.locator("#graph-network").select_option("vso-china-partners")
    page.wait_for_function(f"() => {CY}.nodes().length < {every}")
    page.locator(READY).wait_for()
    assert page.evaluate("window.stayed") is True
    assert "network=vso-china-partners" in page.url
    urls = page.evaluate(f"() => {CY}.nodes().map(node => node.data('url'))")
    assert "/en/organizations/beijing-huizeren/" in urls
    assert "/en/organizations/bclarc/" not in urls
    assert overlapping(cytoscape_boxes(page)) == []
    screenshot(page, "graph-filtered")


def touch(cdp, kind, points):
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]},
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_phone_s_fingers_zoom_the_graph_and_a_tap_opens_a_node(browse, site, language):
    page = open_graph(browse, site, language, "phone", PAGES["network"], touch=True)
    page.locator(".graph-canvas").scroll_into_view_if_needed()
    box = page.locator(".graph-canvas").bounding_box()
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = page.evaluate(f"() => {CY}.zoom()")
    # Two fingers move apart: the drawing zooms in.
    cdp = page.context.new_cdp_session(page)
    touch(cdp, "touchStart", [(centre_x - 20, centre_y), (centre_x + 20, centre_y)])
    for step in range(1, 11):
        spread = 20 + step * 8
        touch(cdp, "touchMove", [(centre_x - spread, centre_y), (centre_x + spread, centre_y)])
    touch(cdp, "touchEnd", [])
    page.wait_for_function(f"() => {CY}.zoom() > {before}")
    # A tap on a node opens its page.
    page.get_by_role("button", name="Fit" if language == "en" else "适应窗口").click()
    target = f"/{language}/organizations/beijing-huizeren/"
    x, y = node_on_screen(page, f"n => n.data('url') === '{target}'")
    page.touchscreen.tap(x, y)
    page.wait_for_url(f"{site}{target}")
