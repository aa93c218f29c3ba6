"""Spreadsheets uploaded to the admin are checked before they are read (directory.uploads):
too large, too long, unpacking too far, or not the spreadsheet their name says, they are
refused with the reason, and nothing is imported."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from directory.models import Organization
from directory.uploads import UploadRefused, check_spreadsheet, read_spreadsheet
from networks.models import ImportRun
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db


def workbook(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def archive(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as written:
        for name, content in members.items():
            written.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def bounds(settings):
    settings.IMPORT_MAX_BYTES = 100_000
    settings.IMPORT_MAX_UNPACKED_BYTES = 1_000_000
    settings.IMPORT_MAX_ROWS = 5
    settings.SPREADSHEET_IMPORT_MAX_ROWS = 3
    return settings


def test_spreadsheets_within_bounds_pass(bounds):
    # The bound counts the rows under the column names.
    check_spreadsheet("names.csv", b"slug,name_en\na,A\nb,B\n", 2)
    check_spreadsheet("names.xlsx", workbook([("slug", "name_en"), ("a", "A"), ("b", "B")]), 2)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("big.csv", b"x" * 100_001, "at most 97.7\xa0KB can be imported at once"),
        ("long.csv", b"slug\n" + b"a\n" * 6, "has 6 rows; at most 5"),
        ("long.xlsx", workbook([("slug",), *[("a",)] * 6]), "has 6 rows; at most 5"),
        ("text.xlsx", b"slug,name\n", "is not an XLSX spreadsheet"),
        ("other.xlsx", archive({"word/document.xml": "<w/>"}), "is not an XLSX spreadsheet"),
        (
            "bomb.xlsx",
            archive({"xl/workbook.xml": "<w/>", "xl/sharedStrings.xml": "a" * 2_000_000}),
            "unpacks to 1.9\xa0MB",
        ),
    ],
)
def test_a_file_out_of_bounds_is_refused_with_the_reason(bounds, name, content, reason):
    with pytest.raises(UploadRefused) as refusal:
        check_spreadsheet(name, content, 5)
    assert name in str(refusal.value) and reason in str(refusal.value)


def test_an_upload_over_the_size_is_refused_unread(bounds):
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before its size was checked")

    upload = Unreadable("huge.csv", b"x" * 100_001)
    with pytest.raises(UploadRefused, match=r"huge\.csv is 97\.7"):
        read_spreadsheet(upload, 5)


def test_the_admins_import_refuses_a_file_out_of_bounds(superuser_client, bounds):
    # Records import in the request: fewer rows than the ECOSOC import, which runs in the
    # background, takes (5 in `bounds`).
    rows = "slug,name_en,kind,sources\n" + "".join(f"s{n},Society {n},ngo,x\n" for n in range(4))
    response = superuser_client.post(
        reverse("admin:directory_organization_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("organizations.csv", rows.encode()),
        },
    )
    assert_status(response, 200)
    assert "has 4 rows; at most 3" in response.content.decode()
    assert not Organization.objects.filter(name_en__startswith="Society ").exists()


def test_the_ecosoc_upload_refuses_a_file_that_is_not_a_spreadsheet(superuser_client, bounds):
    upload = SimpleUploadedFile("1_ecosoc_status_granted.xlsx", b"NGO_name,Session_number\n")
    response = superuser_client.post(
        reverse("admin:networks_importrun_upload"), {"files": [upload]}
    )
    assert_status(response, 200)
    assert "is not an XLSX spreadsheet" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_with_columns_the_import_does_not_know_shows_no_traceback(superuser_client):
    response = superuser_client.post(
        reverse("admin:directory_organization_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile(
                "organizations.csv", b"\xef\xbb\xbfwho,what\nGreen River,ngo\n"
            ),
        },
    )
    assert_status(response, 200)
    page = response.content.decode()
    assert "Errors" in page or "错误" in page
    assert "Traceback" not in page and "site-packages" not in page and ".py" not in page
    assert not Organization.objects.filter(name_en="Green River").exists()
