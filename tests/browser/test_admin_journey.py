"""An editor's journey through the admin, in each language: an organization founded in a
month, a membership with a partial date, a person with a position, an event with a session
and a talk, each citing the source once (the rows take their record's)."""

import datetime
import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_admin_forms import signed_in

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = "cdb-2021-international-networks"  # found by its slug in the picker


def choose(page, select_id, text):
    """Search an autocomplete (select2) box for `text` and pick the first record found."""
    page.locator(f"#{select_id} + .select2").click()
    with page.expect_response(lambda response: "term=" in response.url):
        page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option.loading-results").wait_for(state="detached")
    page.locator(
        ".select2-results__option:not(.loading-results):not(.select2-results__message)"
    ).first.click()


def save(page):
    page.locator("input[name=_continue]").click()
    page.wait_for_url(re.compile(r"/change/$"))
    assert page.locator(".errornote, .errorlist").count() == 0, page.content()[:3000]


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_an_editor_adds_records_citing_a_source_once(browse, site, locale):
    from directory.models import Organization, Person, Source
    from events.models import Talk
    from networks.models import Membership

    page = signed_in(browse, site, 1366, locale=locale)
    article = Source.objects.get(slug="cdb-2021-international-networks")

    page.goto(f"{site}/admin/directory/organization/add/")
    page.locator("#id_name_zh").fill("旅程测试协会")
    page.locator("#id_name_en").fill("Journey Test Society")
    page.locator("#id_kind").select_option("ngo")
    page.locator("#id_founded_on").fill("2019-05")
    choose(page, "id_sources", ARTICLE)
    # A membership with a month for its start, its sources left empty.
    page.locator("#memberships-group .add-row a").click()
    choose(page, "id_memberships-0-network", "UNV")
    page.locator("#id_memberships-0-role").select_option("partner")
    page.locator("#id_memberships-0-start_date").fill("2020-07")
    save(page)
    screenshot(page, f"admin-journey-organization-{locale}")
    society = Organization.objects.get(name_en="Journey Test Society")
    assert (society.founded_on, society.founded_precision) == (datetime.date(2019, 5, 1), "month")
    membership = Membership.objects.get(organization=society)
    assert (membership.start_date, membership.start_precision) == (
        datetime.date(2020, 7, 1),
        "month",
    )
    assert list(membership.sources.all()) == [article]
    assert page.locator("#id_founded_on").input_value() == "2019-05"

    page.goto(f"{site}/admin/directory/person/add/")
    page.locator("#id_name_zh").fill("旅程测试人")
    page.locator("#id_name_en").fill("Journey Tester")
    choose(page, "id_sources", ARTICLE)
    page.locator("#positions-group .add-row a").click()
    choose(page, "id_positions-0-organization", "Journey Test Society")
    page.locator("#id_positions-0-title_zh").fill("秘书长")
    page.locator("#id_positions-0-start_date").fill("2021")
    save(page)
    person = Person.objects.get(name_en="Journey Tester")
    position = person.positions.get()
    assert (position.organization, position.start_date, position.start_precision) == (
        society,
        datetime.date(2021, 1, 1),
        "year",
    )
    assert list(position.sources.all()) == [article]

    # An event with a session and a talk in it: the rows take the event's source.
    page.goto(f"{site}/admin/events/event/add/")
    page.locator("#id_name_zh").fill("旅程测试交流会")
    page.locator("#id_name_en").fill("Journey Test Meeting")
    page.locator("#id_kind").select_option("meeting")
    page.locator("#id_start_date").fill("2022-03")
    choose(page, "id_sources", ARTICLE)
    page.locator("a.djn-add-handler.djn-model-events-session").first.click()
    page.locator("#id_sessions-0-order").fill("1")
    page.locator("#id_sessions-0-kind").select_option("keynote")
    page.locator("#sessions-0-talks-group a.djn-add-handler").first.click()
    page.locator("#id_sessions-0-talks-0-order").fill("1")
    choose(page, "id_sessions-0-talks-0-speaker", "Journey Tester")
    page.locator("#id_sessions-0-talks-0-title_zh").fill("旅程的经验")
    save(page)
    screenshot(page, f"admin-journey-event-{locale}")
    talk = Talk.objects.get(session__event__name_en="Journey Test Meeting")
    assert (talk.speaker, talk.session.kind, talk.title_zh) == (person, "keynote", "旅程的经验")
    assert (talk.session.event.start_date, talk.session.event.start_precision) == (
        datetime.date(2022, 3, 1),
        "month",
    )
    assert list(talk.sources.all()) == list(talk.session.sources.all()) == [article]

    # A likely duplicate is stopped once, and saved when the editor says it is another.
    page.goto(f"{site}/admin/directory/organization/add/")
    page.locator("#id_name_en").fill("The Journey Test Society")
    page.locator("#id_kind").select_option("ngo")
    choose(page, "id_sources", ARTICLE)
    page.locator("input[name=_continue]").click()
    page.locator(".likely-duplicates").wait_for()
    screenshot(page, f"admin-journey-duplicate-{locale}")
    assert "Journey Test Society" in page.locator(".likely-duplicates").inner_text()
    page.locator("input[name=_not_a_duplicate]").check()
    save(page)
    assert Organization.objects.filter(name_en="The Journey Test Society").exists()
