"""A reader's check, page by page: every fact an organization's page shows carries a numbered
note, and every note number leads to the note that names its source and quotes the passage."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# The rows of the facts list that are the directory's own classification or are not facts
# of a source (fields of work, identifiers an import assigned), by their heading.
OWN_WORK = {"en": ["Fields of work", "Identifiers"], "zh-hans": ["工作领域", "标识符"]}

FACTS_WITHOUT_NOTES = """(ownWork) => {
  const missing = [];
  const hasNote = (element) => element.querySelector("sup.note") !== null;
  const check = (element, what) => {
    if (!hasNote(element)) missing.push(`${what}: ${element.textContent.trim().slice(0, 80)}`);
  };
  check(document.querySelector("article.record h1"), "name");
  for (const term of document.querySelectorAll("dl.facts dt")) {
    const heading = term.textContent.trim();
    if (!ownWork.includes(heading)) check(term.nextElementSibling, heading);
  }
  for (const name of document.querySelectorAll(".aliases span")) {
    const next = name.nextElementSibling;
    if (!(next && next.matches("sup.note"))) missing.push(`other name: ${name.textContent}`);
  }
  for (const row of document.querySelectorAll("#memberships tbody tr")) {
    const cells = row.querySelectorAll("td");
    check(cells[1], `membership in ${cells[0].textContent.trim()}`);
    for (const cell of [cells[2], cells[3]]) {
      if (cell.textContent.trim() !== "—") check(cell, `date in ${cells[0].textContent.trim()}`);
    }
  }
  const rows = "#programs-heading, #people-heading, #events-heading";
  for (const heading of document.querySelectorAll(rows)) {
    for (const item of heading.parentElement.querySelectorAll("li")) check(item, heading.id);
  }
  const unanswered = [...document.querySelectorAll("sup.note a")]
    .map((link) => link.getAttribute("href"))
    .filter((target) => !document.querySelector(`${target} q`));
  return {missing, unanswered, notes: document.querySelectorAll("sup.note").length};
}"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_each_fact_on_an_organization_page_has_its_note(browse, site, language):
    from directory.models import Organization

    page = browse(locale="zh-CN" if language == "zh-hans" else "en-US")
    slugs = list(Organization.objects.order_by("slug").values_list("slug", flat=True))
    assert len(slugs) >= 30
    seen = {}
    for slug in slugs:
        page.goto(f"{site}/{language}/organizations/{slug}/")
        found = page.evaluate(FACTS_WITHOUT_NOTES, OWN_WORK[language])
        assert found["missing"] == [], slug
        assert found["unanswered"] == [], slug
        seen[slug] = found["notes"]
    # The check looked at pages that have notes: each page has at least its name's.
    assert all(seen.values()), seen
    page.goto(f"{site}/{language}/organizations/cyva/")
    screenshot(page, f"reader-notes-cyva-{language}")
