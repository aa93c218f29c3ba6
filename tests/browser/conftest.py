"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live
server. Without Chromium they are skipped with the reason, except in CI (CI=true), where a
missing browser fails them."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the Django calls the tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must install it.")
        pytest.skip(f"{reason}; browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the directory loaded (transactional tests start
    from an empty database)."""
    call_command("load_fixtures", verbosity=0)
    return live_server.url


class Watcher:
    """Collects what must not happen on a page: console errors, uncaught exceptions, failed
    requests, error responses and any request to another host."""

    def __init__(self, page, site):
        self.problems = []
        page.on(
            "console",
            lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"),
        )
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self.request_failed)
        page.on(
            "response",
            lambda r: r.status >= 400 and self.problems.append(f"{r.status} for {r.url}"),
        )
        page.on(
            "request",
            lambda r: (
                not r.url.startswith(site)
                and self.problems.append(f"request left the machine: {r.url}")
            ),
        )

    def request_failed(self, request):
        # A request the browser cancels because the test moved on to the next page is not
        # a failure of the site.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")


def open_page(
    browser, site, *, locale="en-US", javascript=True, width=1280, height=900, touch=False
):
    context = browser.new_context(
        locale=locale,
        java_script_enabled=javascript,
        viewport={"width": width, "height": height},
        has_touch=touch,
        is_mobile=touch,
    )
    page = context.new_page()
    return context, page, Watcher(page, site)


@pytest.fixture
def browse(browser, site):
    """Open pages in a fresh context; at the end, fail on anything the watcher saw."""
    opened = []

    def opener(**options):
        context, page, watcher = open_page(browser, site, **options)
        opened.append((context, watcher))
        return page

    yield opener
    for context, watcher in opened:
        context.close()
        assert watcher.problems == []


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
