"""The admin's forms at a laptop's width: nothing wider than the screen."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

FORMS = [
    "directory/organization/add/",
    "directory/organization/{cango}/change/",
    "directory/person/add/",
    "networks/network/add/",
    "networks/membership/add/",
    "networks/program/add/",
    "events/event/add/",
]


def signed_in(browse, site, width, locale="en-US"):
    from django.contrib.auth.models import User

    User.objects.create_superuser("erin", "erin@example.org", "a-long-password")
    page = browse(width=width, locale=locale)
    page.goto(f"{site}/admin/")
    page.locator("#id_username").fill("erin")
    page.locator("#id_password").fill("a-long-password")
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{site}/admin/")
    return page


def test_every_form_fits_a_1366_pixel_screen(browse, site):
    from directory.models import Organization

    cango = Organization.objects.get(slug="cango").pk
    page = signed_in(browse, site, 1366)
    widths = {}
    for path in FORMS:
        page.goto(f"{site}/admin/{path.format(cango=cango)}")
        page.locator("#content-main form").wait_for()
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, "admin-form-" + path.strip("/").replace("/", "-").split("-{")[0])
    assert {path: width for path, width in widths.items() if width > 1366} == {}
