"""A reader downloads what a list shows, in a real browser: the list page's CSV and JSON
Lines links give every record of the filtered selection, not one page of it."""

import csv
import io
import json

import pytest

from directory.models import Organization


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1366, 390])
def test_the_downloads_give_every_row_of_the_filtered_list(browse, site, language, width):
    page = browse(width=width, locale="zh-CN" if language == "zh-hans" else "en-US")
    page.goto(f"{site}/{language}/organizations/?country=CN")
    expected = set(Organization.objects.filter(country="CN").values_list("slug", flat=True))
    shown = page.locator("ul.records > li").count()
    assert 0 < shown < len(expected), "the page should show one page of a longer selection"
    with page.expect_download() as csv_download:
        page.locator(".downloads a", has_text="CSV").click()
    text = open(csv_download.value.path(), encoding="utf-8-sig").read()
    assert {row["slug"] for row in csv.DictReader(io.StringIO(text))} == expected
    with page.expect_download() as jsonl_download:
        page.locator(".downloads a").nth(1).click()
    lines = open(jsonl_download.value.path(), encoding="utf-8").read().splitlines()
    assert {json.loads(line)["slug"] for line in lines} == expected
