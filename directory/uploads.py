"""What a spreadsheet uploaded to the admin may be, checked before it is read: a file that is
what its name says (CSV text, or an XLSX workbook), of at most IMPORT_MAX_BYTES, unpacking to
at most IMPORT_MAX_UNPACKED_BYTES, of at most as many rows as its import takes: an import of
records (django-import-export) runs in its request, so SPREADSHEET_IMPORT_MAX_ROWS keeps it to
seconds; the ECOSOC import runs in the background and takes IMPORT_MAX_ROWS. These bounds keep
one upload from holding a worker for minutes or taking its memory (a small XLSX can hold a
shared string of hundreds of megabytes). Larger files are imported on the server with
`manage.py import` or `manage.py import_ecosoc`, which are not bounded."""

import io
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook


class UploadRefused(ValueError):
    """The upload is not taken; the message says why, to the editor."""


def read_spreadsheet(upload, max_rows: int) -> bytes:
    """An uploaded file's content, once it is known to be a spreadsheet within bounds: its
    size is checked before it is read, so that an upload of gigabytes is never read whole."""
    check_size(upload.name, upload.size)
    content = upload.read()
    check_spreadsheet(upload.name, content, max_rows)
    return content


def check_size(name: str, size: int) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise UploadRefused(
            _("%(file)s is %(size)s; at most %(limit)s can be imported at once: split it.")
            % {
                "file": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
            }
        )


def check_spreadsheet(name: str, content: bytes, max_rows: int) -> None:
    """Refuse, with the reason, a file that is not a CSV or XLSX spreadsheet within bounds."""
    check_size(name, len(content))
    lines = xlsx_rows(name, content) if name.lower().endswith(".xlsx") else csv_rows(content)
    rows = max(lines - 1, 0)  # under the column names
    if rows > max_rows:
        raise UploadRefused(
            _(
                "%(file)s has %(rows)s rows; at most %(limit)s can be imported at once here. "
                "Split it, or import it on the server (manage.py import, manage.py "
                "import_ecosoc)."
            )
            % {"file": name, "rows": f"{rows:,}", "limit": f"{max_rows:,}"}
        )


def csv_rows(content: bytes) -> int:
    return content.count(b"\n") + (not content.endswith(b"\n"))


def xlsx_rows(name: str, content: bytes) -> int:
    """The rows its first sheet declares, once the archive is known to be a workbook of
    bounded size (the sizes its directory declares are the most zipfile will unpack)."""
    not_a_workbook = UploadRefused(
        _("%(file)s is not an XLSX spreadsheet; save it from Excel or LibreOffice as .xlsx.")
        % {"file": name}
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise not_a_workbook from None
    with archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise not_a_workbook
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise UploadRefused(
            _("%(file)s unpacks to %(size)s; at most %(limit)s can be imported at once.")
            % {
                "file": name,
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(settings.IMPORT_MAX_UNPACKED_BYTES),
            }
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        sheet = workbook.worksheets[0]
        return sheet.max_row or 0
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise not_a_workbook from None
