"""Reading the UN Committee on NGOs' decisions from spreadsheets (XLSX or CSV) into rows,
and saying exactly why a row cannot be used.

Three kinds of file are recognized by their column headings: status granted (`NGO_name`,
`Session_number`), name changes (`Old_name`, `New_name`, `Session_number`) and mergers
(`Old_name1`, `Old_name2`, `New_name`, `Session_number`). `Session_number` holds the date of
the decision.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook

NAME_MAX_LENGTH = 255


class UnreadableFile(Exception):
    pass


@dataclass(frozen=True)
class Grant:
    """Consultative status granted to an organization."""

    file: str
    row: int
    name: str
    date: datetime.date


@dataclass(frozen=True)
class Status:
    """A level of consultative status (general, special, roster or not stated) since a year."""

    level: str
    year: int | None


@dataclass(frozen=True)
class Rename:
    file: str
    row: int
    old_name: str
    new_name: str
    date: datetime.date
    statuses: tuple[Status, ...] = ()


@dataclass(frozen=True)
class Merger:
    file: str
    row: int
    old_names: tuple[str, ...]
    new_name: str
    date: datetime.date
    # The old organizations' consultative status as the decision states it, by old name.
    statuses: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Problem:
    file: str
    row: int
    reason: str


KINDS = {
    "grants": ("NGO_name", "Session_number"),
    "renames": ("Old_name", "New_name", "Session_number"),
    "mergers": ("Old_name1", "Old_name2", "New_name", "Session_number"),
}
# Decisions are applied in this order: an organization is granted status before it is
# renamed, and renamed before it merges.
ORDER = ["grants", "renames", "mergers"]

# "(special, 2011)", "(Roster 2005)", "(special; 2011)", "(2018)", "(special, 1949; general,
# 2004)": the status an organization held when it was renamed.
STATUS_NOTE = re.compile(
    r"\s*\(((?:\s*(?:general|special|roster)?[\s,;]*(?:1[89]\d\d|20\d\d)?[\s;]*)+)\)\s*$", re.I
)
STATUS_PART = re.compile(r"(general|special|roster)?[\s,]*(1[89]\d\d|20\d\d)?", re.I)
# "(in special consultative status)", ", in special consultative status", "(an organization
# not in status with the Council)": notes on a merging organization, not part of its name.
MERGER_NOTE = re.compile(
    r"\s*[(,]\s*(?:an? )?(?:organization )?(not )?in (?:(general|special|roster) )?"
    r"(?:consultative )?status(?: with the council)?\s*\)?\s*$",
    re.I,
)


def split_status_note(name: str) -> tuple[str, tuple[Status, ...]]:
    found = STATUS_NOTE.search(name)
    if not found or not re.search(r"\w", found.group(1)):
        return name.strip(), ()
    statuses = []
    for part in found.group(1).split(";"):
        level, year = STATUS_PART.match(part.strip()).groups()
        if level or year:
            statuses.append(Status((level or "unknown").lower(), int(year) if year else None))
    return name[: found.start()].strip(), tuple(statuses)


def split_merger_note(name: str) -> tuple[str, Status | None]:
    found = MERGER_NOTE.search(name)
    if not found:
        return name.strip(), None
    not_in_status, level = found.groups()
    status = None if not_in_status else Status((level or "unknown").lower(), None)
    return name[: found.start()].strip(), status


def cell_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def name_problem(value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return _("the name is empty")
    if isinstance(value, datetime.date) or (isinstance(value, str) and cell_date(value)):
        return _("the name column holds a date (%(value)s)") % {"value": value}
    if not isinstance(value, str):
        return _("the name column holds %(value)r, not a name") % {"value": value}
    if len(value.strip()) > NAME_MAX_LENGTH:
        return _("the name is longer than %(max)d characters") % {"max": NAME_MAX_LENGTH}
    return None


def date_problem(value) -> str | None:
    if cell_date(value) is None:
        return _("the decision date %(value)r is not a date") % {"value": value}
    return None


def table_rows(name: str, content: bytes) -> list[tuple]:
    """The rows of the first sheet of an XLSX file, or of a CSV file, headings first."""
    try:
        if name.lower().endswith(".csv"):
            return [tuple(row) for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))]
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        return list(workbook.worksheets[0].iter_rows(values_only=True))
    except Exception as error:  # openpyxl and csv raise many kinds for a damaged file
        raise UnreadableFile(
            _("%(file)s cannot be read as a spreadsheet: %(error)s")
            % {"file": name, "error": error}
        ) from error


def file_kind(name: str, headings: tuple) -> str:
    present = {str(heading).strip() for heading in headings if heading is not None}
    for kind in reversed(ORDER):  # mergers' headings include the renames' New_name
        if set(KINDS[kind]) <= present:
            return kind
    raise UnreadableFile(
        _("%(file)s has none of the expected sets of columns (%(expected)s).")
        % {"file": name, "expected": "; ".join(", ".join(cols) for cols in KINDS.values())}
    )


@dataclass
class DecisionFile:
    name: str
    kind: str
    rows: list = field(default_factory=list)  # Grant, Rename or Merger, or Problem

    @property
    def rows_read(self) -> int:
        return len(self.rows)


def read_decisions(name: str, content: bytes) -> DecisionFile:
    table = table_rows(name, content)
    if not table:
        raise UnreadableFile(_("%(file)s is empty.") % {"file": name})
    headings = tuple(str(h).strip() if h is not None else "" for h in table[0])
    kind = file_kind(name, headings)
    column = {heading: index for index, heading in enumerate(headings)}
    decisions = DecisionFile(name, kind)
    for number, values in enumerate(table[1:], start=2):
        if all(value is None or str(value).strip() == "" for value in values):
            continue  # trailing blank lines are not rows
        cells = {
            key: values[index] if index < len(values) else None for key, index in column.items()
        }
        decisions.rows.append(READERS[kind](name, number, cells))
    return decisions


def read_path(path: str) -> DecisionFile:
    file = Path(path)
    try:
        content = file.read_bytes()
    except OSError as error:
        raise UnreadableFile(
            _("%(file)s cannot be opened: %(error)s") % {"file": path, "error": error.strerror}
        ) from error
    return read_decisions(file.name, content)


def first_problem(file, row, checks):
    for reason in checks:
        if reason:
            return Problem(file, row, reason)
    return None


def read_grant(file, row, cells):
    name, date = cells["NGO_name"], cells["Session_number"]
    problem = first_problem(file, row, [name_problem(name), date_problem(date)])
    return problem or Grant(file, row, " ".join(name.split()), cell_date(date))


def read_rename(file, row, cells):
    old, new, date = cells["Old_name"], cells["New_name"], cells["Session_number"]
    problem = first_problem(file, row, [name_problem(old), name_problem(new), date_problem(date)])
    if problem:
        return problem
    old_name, statuses = split_status_note(" ".join(old.split()))
    return Rename(file, row, old_name, clean_new_name(new), cell_date(date), statuses)


def read_merger(file, row, cells):
    olds = [cells["Old_name1"], cells["Old_name2"]]
    new, date = cells["New_name"], cells["Session_number"]
    problem = first_problem(
        file, row, [*map(name_problem, olds), name_problem(new), date_problem(date)]
    )
    if problem:
        return problem
    statuses, old_names = {}, []
    for old in olds:
        old_name, status = split_merger_note(" ".join(old.split()).rstrip(",;"))
        old_names.append(old_name)
        if status:
            statuses[old_name] = status
    new_name = clean_new_name(new)
    if squeezed(new_name) in {
        squeezed(old_names[0] + old_names[1]),
        squeezed(old_names[1] + old_names[0]),
    }:
        return Problem(file, row, _("the new name is the two old names run together"))
    return Merger(file, row, tuple(old_names), new_name, cell_date(date), statuses)


def clean_new_name(name: str) -> str:
    """A new name without a stray full stop after its last word ("Institute.", but not
    "Inc.")."""
    name = " ".join(name.split())
    return name[:-1] if re.search(r"\w{5,}\.$", name) else name


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


READERS = {"grants": read_grant, "renames": read_rename, "mergers": read_merger}
