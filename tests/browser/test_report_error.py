"""A reader who finds an error on an organization's page reports it: the page's "Report an
error" link opens a short form, and sending it thanks them, at a desktop's width and a
phone's, in both languages."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# The form's labels as a reader reads them (get_by_label matches part of a label).
TEXT = {
    "en": {
        "link": "Report an error",
        "what": "What is wrong",
        "source": "Source or link",
        "email": "Your email",
        "send": "Send the report",
        "thanks": "Thank you",
    },
    "zh-hans": {
        "link": "报告错误",
        "what": "哪里有错",
        "source": "来源或链接",
        "email": "您的电子邮箱",
        "send": "发送报告",
        "thanks": "谢谢您",
    },
}


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_reader_reports_an_error_on_an_organization_page(browse, site, settings, language, width):
    from directory.models import ErrorReport, Organization

    # The form is sent as soon as it is filled in; a person takes longer than the minimum.
    settings.ERROR_REPORT_MIN_SECONDS = 0
    words = TEXT[language]
    page = browse(locale="zh-CN" if language == "zh-hans" else "en-US", width=width)
    page.goto(f"{site}/{language}/organizations/cango/")
    page.get_by_role("link", name=words["link"]).click()
    page.wait_for_url(f"**/{language}/organizations/cango/report/")
    # The honeypot is out of a person's sight and reach.
    assert not page.locator("#id_website").is_visible()
    page.get_by_label(words["what"]).fill("The founding year is 1993, not 1992.")
    page.get_by_label(words["source"]).fill("https://example.org/cango-history")
    page.get_by_label(words["email"]).fill("reader@example.org")
    screenshot(page, f"report-error-form-{language}-{width}")
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url(f"**/{language}/organizations/cango/report/sent/")
    assert page.get_by_role("heading", name=words["thanks"]).is_visible()
    screenshot(page, f"report-error-sent-{language}-{width}")

    report = ErrorReport.objects.get()
    assert report.record == Organization.objects.get(slug="cango")
    assert report.page == f"/{language}/organizations/cango/"
    assert report.email == "reader@example.org"
