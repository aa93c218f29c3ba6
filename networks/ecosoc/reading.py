"""Reading the UN Committee on NGOs' decisions from spreadsheets (XLSX or CSV) into rows,
and saying exactly why a row cannot be used.

Each file holds one kind of decision, and several kinds share the same columns (`NGO_name`,
`Session_number`), so a file's kind is never guessed from its columns: it is given by the
caller, or read from the file's name as the dataset names it (`1_ecosoc_status_granted.xlsx`
is granted, whatever its number and whether XLSX or CSV). The columns are then checked against
the kind. `Session_number` holds the date of the session's report.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from networks.ecosoc.votes import cast_choice, country_code, outcome_choice, topic_organization

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
    # The other sessions at which the file says the merger was mentioned.
    info: str = ""


@dataclass(frozen=True)
class Decided:
    """Any other decision on an organization (declined, deferred, closed, withdrawn ...):
    `decision` is its kind."""

    file: str
    row: int
    decision: str
    name: str
    date: datetime.date
    info: str = ""


@dataclass(frozen=True)
class Cast:
    """One member state's vote in a roll-call vote: the vote's topic, outcome and date are
    on its first row only, and every row carries them here. `order` is the vote's number in
    the file, `organization_name` the NGO its topic names (None for a motion)."""

    file: str
    row: int
    order: int
    topic: str
    organization_name: str | None
    outcome: str
    outcome_as_written: str
    date: datetime.date
    country: str
    country_as_written: str
    vote: str


@dataclass(frozen=True)
class Problem:
    file: str
    row: int
    reason: str


# The kinds of file, with the columns each must have.
NAME_COLUMNS = ("NGO_name", "Session_number")
KINDS = {
    "granted": NAME_COLUMNS,
    "renamed": ("Old_name", "New_name", "Session_number"),
    "closed": NAME_COLUMNS,
    "application_withdrawn": NAME_COLUMNS,
    "declined": NAME_COLUMNS,
    "status_withdrawn": NAME_COLUMNS,
    "deferred": NAME_COLUMNS,
    "votes": ("Vote_topic", "Country", "Country_vote", "Vote_outcome", "Session_number"),
    "new_application_deferred": NAME_COLUMNS,
    "reclassification_deferred": NAME_COLUMNS,
    "merged": ("Old_name1", "Old_name2", "New_name", "Session_number"),
}
# The dataset's file names, without their number and extension.
FILE_NAMES = {
    "ecosoc_status_granted": "granted",
    "name_changes": "renamed",
    "ecosoc_closedrequests_failedrespond": "closed",
    "ecosoc_application_withdrawn": "application_withdrawn",
    "ecosoc_status_declined": "declined",
    "ecosoc_status_withdrawn_ownrequest": "status_withdrawn",
    "applications_deferred": "deferred",
    "roll_call_votes": "votes",
    "newapplications_deferred": "new_application_deferred",
    "deferred_status_reclassification": "reclassification_deferred",
    "mergers_organizations": "merged",
}
# Decisions are applied in this order, whatever the order the files are given in: an
# organization is granted status before it is renamed, and renamed before it merges, so that
# the later files find it under any of its names; a status is granted before it can be
# withdrawn; the other decisions only name organizations, and the votes come last so that
# their topics are matched against every name the other files gave.
ORDER = [
    "granted",
    "renamed",
    "merged",
    "status_withdrawn",
    "declined",
    "application_withdrawn",
    "closed",
    "deferred",
    "new_application_deferred",
    "reclassification_deferred",
    "votes",
]

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


# A list marker left from a report's bullets: a lower-case "o" or "e", or a bullet, a space
# and a capitalised word ("o Knowledge for Development, Corp."). "e 8" is a name.
LIST_MARKER = re.compile(r"^(?:[oe]|[\-\u2013\u2022\u00b7\u25aa\u2023\u25e6])\s+(?=[A-Z][a-z])")


def clean_name(name: str) -> str:
    """The name with its spaces tidied and without a leading list marker."""
    return LIST_MARKER.sub("", " ".join(name.split()))


def name_problem(value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return _("the name is empty")
    if isinstance(value, str) and value.strip().endswith(":"):
        return _("the name column holds a sentence, not a name (%(value)s)") % {
            "value": " ".join(value.split())
        }
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


def kinds_text() -> str:
    return ", ".join(KINDS)


def kind_from_name(name: str) -> str | None:
    """The kind the dataset's name for a file says ("1_ecosoc_status_granted.xlsx": granted)."""
    stem = re.sub(r"^\d+_", "", Path(name).stem.strip().lower())
    return FILE_NAMES.get(stem)


def file_kind(name: str, headings: tuple, kind: str | None = None) -> str:
    """The file's kind, given or read from its name, once its columns are checked."""
    if kind and kind not in KINDS:
        raise UnreadableFile(
            _("%(kind)s is not a kind of decision; the kinds are: %(kinds)s.")
            % {"kind": kind, "kinds": kinds_text()}
        )
    kind = kind or kind_from_name(name)
    if kind is None:
        raise UnreadableFile(
            _(
                "The kind of decisions in %(file)s cannot be told from its name: name it as "
                "the dataset does (for example 1_ecosoc_status_granted.xlsx) or give its kind, "
                "one of: %(kinds)s."
            )
            % {"file": name, "kinds": kinds_text()}
        )
    present = {str(heading).strip() for heading in headings if heading is not None}
    if not set(KINDS[kind]) <= present:
        raise UnreadableFile(
            _(
                "%(file)s does not have the columns of a file of %(kind)s decisions: expected "
                "%(expected)s, found %(found)s. The kinds are: %(kinds)s."
            )
            % {
                "file": name,
                "kind": kind,
                "expected": ", ".join(KINDS[kind]),
                "found": ", ".join(h for h in headings if h) or "none",
                "kinds": kinds_text(),
            }
        )
    return kind


@dataclass
class DecisionFile:
    name: str
    kind: str
    rows: list = field(default_factory=list)  # Grant, Rename or Merger, or Problem

    @property
    def rows_read(self) -> int:
        return len(self.rows)


def blank(values) -> bool:
    return all(value is None or str(value).strip() == "" for value in values)


def read_decisions(name: str, content: bytes, kind: str | None = None) -> DecisionFile:
    """The file's rows as decisions or problems. Its kind is `kind`, or else the one its name
    says; a file whose kind cannot be known, or whose columns do not fit it, is refused."""
    table = table_rows(name, content)
    if not table:
        raise UnreadableFile(_("%(file)s is empty.") % {"file": name})
    headings = tuple(str(h).strip() if h is not None else "" for h in table[0])
    kind = file_kind(name, headings, kind)
    column = {heading: index for index, heading in enumerate(headings) if heading}
    decisions = DecisionFile(name, kind)
    rows = table[1:]
    while rows and blank(rows[-1]):
        rows.pop()  # trailing blank lines are not rows; a blank line between rows is one
    cells = [
        {key: values[index] if index < len(values) else None for key, index in column.items()}
        for values in rows
    ]
    if kind == "votes":
        decisions.rows = read_votes(name, rows, cells)
        return decisions
    for number, (values, row) in enumerate(zip(rows, cells, strict=True), start=2):
        if blank(values):
            decisions.rows.append(Problem(name, number, _("the row is empty")))
        elif kind in READERS:
            decisions.rows.append(READERS[kind](name, number, row))
        else:
            decisions.rows.append(read_decided(name, number, row, kind))
    return decisions


def read_path(path: str, kind: str | None = None) -> DecisionFile:
    file = Path(path)
    try:
        content = file.read_bytes()
    except OSError as error:
        raise UnreadableFile(
            _("%(file)s cannot be opened: %(error)s") % {"file": path, "error": error.strerror}
        ) from error
    return read_decisions(file.name, content, kind)


def first_problem(file, row, checks):
    for reason in checks:
        if reason:
            return Problem(file, row, reason)
    return None


def read_grant(file, row, cells):
    name, date = cells["NGO_name"], cells["Session_number"]
    problem = first_problem(file, row, [name_problem(name), date_problem(date)])
    return problem or Grant(file, row, clean_name(name), cell_date(date))


def read_decided(file, row, cells, kind):
    name, date, info = cells["NGO_name"], cells["Session_number"], cells.get("info")
    problem = first_problem(file, row, [name_problem(name), date_problem(date)])
    info = " ".join(str(info).split()) if info is not None else ""
    return problem or Decided(file, row, kind, clean_name(name), cell_date(date), info)


def read_rename(file, row, cells):
    old, new, date = cells["Old_name"], cells["New_name"], cells["Session_number"]
    problem = first_problem(file, row, [name_problem(old), name_problem(new), date_problem(date)])
    if problem:
        return problem
    old_name, statuses = split_status_note(clean_name(old))
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
        old_name, status = split_merger_note(clean_name(old).rstrip(",;"))
        old_names.append(old_name)
        if status:
            statuses[old_name] = status
    new_name = clean_new_name(new)
    if squeezed(new_name) in {
        squeezed(old_names[0] + old_names[1]),
        squeezed(old_names[1] + old_names[0]),
    }:
        return Problem(file, row, _("the new name is the two old names run together"))
    mentions = [
        cell_date(value) or " ".join(str(value).split())
        for key, value in cells.items()
        if key.startswith("additional_mention") and value is not None
    ]
    info = ", ".join(str(mention) for mention in mentions)
    return Merger(file, row, tuple(old_names), new_name, cell_date(date), statuses, info)


def read_votes(file, rows, cells) -> list:
    """The rows of a roll-call votes file: a vote starts at each row with a topic, and its
    following rows are the other member states' votes."""
    read, vote = [], None
    for number, (values, row) in enumerate(zip(rows, cells, strict=True), start=2):
        if blank(values):
            read.append(Problem(file, number, _("the row is empty")))
            continue
        topic = row["Vote_topic"]
        if isinstance(topic, str) and topic.strip():
            outcome = row["Vote_outcome"]
            outcome = " ".join(str(outcome).split()) if outcome is not None else ""
            vote = {
                "order": vote["order"] + 1 if vote else 1,
                "topic": topic.strip(),
                "organization_name": (
                    clean_name(name) if (name := topic_organization(topic)) else None
                ),
                "outcome": outcome_choice(outcome),
                "outcome_as_written": outcome,
                "date": cell_date(row["Session_number"]),
                "date_problem": date_problem(row["Session_number"]),
            }
        problem = first_problem(
            file,
            number,
            [
                None if vote else _("the row belongs to no vote: no topic above it"),
                vote and vote["date_problem"],
                country_problem(row["Country"]),
                cast_problem(row["Country_vote"]),
            ],
        )
        if problem:
            read.append(problem)
            continue
        read.append(
            Cast(
                file,
                number,
                **{key: value for key, value in vote.items() if key != "date_problem"},
                country=country_code(row["Country"]),
                country_as_written=" ".join(row["Country"].split()),
                vote=cast_choice(row["Country_vote"]),
            )
        )
    return read


def country_problem(value) -> str | None:
    if country_code(value) is None:
        return _("the country %(value)r is not one the import knows") % {"value": value}
    return None


def cast_problem(value) -> str | None:
    if cast_choice(value) is None:
        return _("the vote %(value)r is not in favour, against, abstaining or absent") % {
            "value": value
        }
    return None


def clean_new_name(name: str) -> str:
    """A new name without a stray full stop after its last word ("Institute.", but not
    "Inc.")."""
    name = clean_name(name)
    return name[:-1] if re.search(r"\w{5,}\.$", name) else name


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


READERS = {"granted": read_grant, "renamed": read_rename, "merged": read_merger}
