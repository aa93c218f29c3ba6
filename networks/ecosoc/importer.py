"""Applying the UN Committee on NGOs' decisions to the directory.

Every row ends in exactly one outcome, so a file's counts add up to its rows:

- created: a new organization, with its consultative status dated by the decision (for
  status granted) and the decision recorded;
- updated: an organization already in the directory, changed by the row (decision recorded,
  status added, dated or ended, a former name recorded, a merger linked);
- matched: an organization already in the directory that the row does not change;
- duplicate: the row names an organization an earlier row of the same file named (for
  decisions other than grants, renames and mergers: at the same session);
- flagged: a name resembles an organization without matching it; the row waits in the
  review list ("possible duplicates") and nothing of it is written;
- skipped: the row cannot be used (empty name, a date in the name column, no date).

A roll-call vote's row is one member state's vote: created, updated or matched say what
happened to that vote (a duplicate is a member state voting twice in one vote), and the
vote's organization, if new, is created with it.

Status follows from the decisions: granted starts a consultative status, status withdrawn
ends the one open at that date; the other decisions (declined, deferred, closed, application
withdrawn) record that the organization applied and never touch a status.

The whole import runs in one transaction: it all lands or none of it does. A dry run is the
same import rolled back, so its counts are exactly what the real one would do.
"""

import dataclasses
import datetime
import hashlib
from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from directory.history import change_set
from directory.models import DatePrecision, Organization, OrganizationName, Source
from directory.models.base import (
    PRECISIONS,
    at_common_precision,
    free_slug,
    truncate_to_precision,
)
from directory.names import NameIndex, name_key, split_abbreviation
from networks.ecosoc.reading import (
    ORDER,
    Cast,
    Decided,
    Grant,
    Merger,
    Problem,
    Rename,
    Status,
)
from networks.ecosoc.renames import RenameChains
from networks.models import (
    CommitteeSession,
    Decision,
    Membership,
    Network,
    PossibleDuplicate,
    Vote,
    VoteCast,
)
from website.cache import data_changed

OUTCOMES = ["created", "updated", "matched", "duplicate", "flagged", "skipped"]
# How the outcomes are named to editors (the reports keep the names above).
OUTCOME_LABELS = {
    "created": pgettext_lazy("import outcome", "created"),
    "updated": pgettext_lazy("import outcome", "updated"),
    "matched": pgettext_lazy("import outcome", "matched"),
    "duplicate": pgettext_lazy("import outcome", "duplicate"),
    "flagged": pgettext_lazy("import outcome", "flagged"),
    "skipped": pgettext_lazy("import outcome", "skipped"),
}
NETWORK_SLUG = "un-ecosoc-consultative-status"
SOURCE_SLUG = "ecosoc-status-dataset"
CONSULTATIVE = Membership.Role.CONSULTATIVE_STATUS


class Flagged(Exception):
    def __init__(self, name, candidate):
        super().__init__(name)
        self.name, self.candidate = name, candidate


@dataclasses.dataclass
class FileReport:
    name: str
    kind: str
    rows_read: int = 0
    counts: Counter = dataclasses.field(default_factory=Counter)
    skipped: list = dataclasses.field(default_factory=list)
    flagged: list = dataclasses.field(default_factory=list)
    duplicates: list = dataclasses.field(default_factory=list)

    def as_dict(self):
        return {
            "name": self.name,
            "kind": self.kind,
            "rows_read": self.rows_read,
            "counts": {outcome: self.counts[outcome] for outcome in OUTCOMES},
            # In order (PostgreSQL's jsonb does not keep the keys' order).
            "count_list": [[outcome, self.counts[outcome]] for outcome in OUTCOMES],
            "skipped": self.skipped,
            "flagged": self.flagged,
            "duplicates": self.duplicates,
        }


def ecosoc_source() -> Source:
    source, _created = Source.objects.get_or_create(
        slug=SOURCE_SLUG,
        defaults={
            "title": "ECOSOC_Status: decisions of the UN Committee on NGOs, 1998-2024",
            "kind": Source.Kind.DATASET,
            "author": "Christoph Steinert",
            "language": "en",
            "web_address": "https://github.com/christophsteinert/ECOSOC_Status",
            "note": "Spreadsheets compiled from the reports of the UN Committee on "
            "Non-Governmental Organizations (MIT licence): consultative status granted, "
            "name changes, mergers, applications declined, deferred, closed or withdrawn, "
            "status withdrawn, and roll-call votes, 1998-06 to 2024-06.",
        },
    )
    return source


def ecosoc_network(source) -> Network:
    network = Network.objects.filter(slug=NETWORK_SLUG).first()
    if network is None:
        network = Network.objects.create(
            slug=NETWORK_SLUG,
            name_en="UN ECOSOC consultative status",
            name_zh="联合国经社理事会咨商地位",
            abbreviation="ECOSOC",
            kind=Network.Kind.CONSULTATIVE_STATUS,
            scope=Network.Scope.INTERNATIONAL,
        )
        network.sources.add(source)
    return network


def consistent(first_date, first_precision, date, precision) -> bool:
    """Whether two dates may be the same date known to different precisions."""
    first, second = at_common_precision(first_date, first_precision, date, precision)
    return first == second


# The Committee recommends status; the Council grants it at a later session, weeks or months
# after. A status recorded (from another source) as starting up to this long after a
# recommendation is the one the recommendation led to, not a second status.
RECOMMENDATION_TO_GRANT = datetime.timedelta(days=183)


def led_to(membership, recommended_on) -> bool:
    """Whether the recorded status may be the one granted on this recommendation."""
    return (
        membership.start_date is not None
        and recommended_on < membership.start_date
        and membership.start_date - recommended_on <= RECOMMENDATION_TO_GRANT
    )


class EcosocImport:
    """One import: the directory's organizations and their statuses, loaded once, kept up to
    date as rows are applied."""

    def __init__(self, *, distinct_names=(), run=None):
        self.source = ecosoc_source()
        self.network = ecosoc_network(self.source)
        self.run = run
        # Names an editor has said are new organizations, whatever they resemble.
        self.distinct_names = set(distinct_names)
        # One instance per organization, so that no stale copy is ever saved over a change.
        self.organizations: dict[int, Organization] = {}
        self.names = NameIndex()
        for organization in Organization.objects.prefetch_related("other_names"):
            self.keep(organization)
        self.existing = set(self.organizations)
        self.slugs = Organization.objects.slugs_in_use()
        self.chains = RenameChains()
        self.statuses: dict[int, list[Membership]] = {}
        for membership in (
            Membership.objects.filter(network=self.network, role=CONSULTATIVE)
            .prefetch_related("sources")
            .order_by("start_date", "id")
        ):
            self.statuses.setdefault(membership.organization_id, []).append(membership)
        self.sessions = {session.date: session for session in CommitteeSession.objects.all()}
        self.decisions = set(
            Decision.objects.values_list("session_id", "organization_id", "kind").iterator()
        )
        self.votes = {(vote.session_id, vote.order): vote for vote in Vote.objects.all()}
        self.casts = {(cast.vote_id, cast.country.code): cast for cast in VoteCast.objects.all()}

    def keep(self, organization, *extra_names):
        """Hold this (fetched with its other names) as the organization's one instance and
        index all its names."""
        self.organizations[organization.pk] = organization
        names = [
            organization.name_en,
            organization.name_zh,
            *extra_names,
            *(other.name for other in organization.other_names.all()),
            # The name as a file wrote it when the organization was created from it ("London
            # School of Economics and Political Science (LSE)"), so that a later import
            # matches what this one matched.
            *(
                f"{organization.name_en} ({other.name})"
                for other in organization.other_names.all()
                if other.kind == OrganizationName.Kind.ABBREVIATION and organization.name_en
            ),
        ]
        for name in names:
            self.names.add(organization.pk, name)

    def reload(self, organization, *extra_names):
        self.keep(
            Organization.objects.prefetch_related("other_names").get(pk=organization.pk),
            *extra_names,
        )
        return self.organizations[organization.pk]

    # Reading the directory

    def find(self, name) -> Organization | None:
        """The organization with this name, this name without its abbreviation, or another
        name in its chain of renames."""
        for candidate in [name, *self.chains.names_of(name)]:
            found = self.names.find(candidate)
            base, abbreviation = split_abbreviation(candidate)
            if found is None and abbreviation:
                found = self.names.find(base)
            if found is not None:
                return self.organizations[found]
        return None

    def refuse_resembling(self, *names):
        """Flagged if any of these names (found nowhere) resembles an organization's."""
        for name in names:
            if name_key(name) in self.distinct_names:
                continue
            candidate = self.names.resembling_record(split_abbreviation(name)[0])
            if candidate is not None:
                raise Flagged(name, self.organizations[candidate])

    # Writing

    def cite(self, record) -> bool:
        if any(source.pk == self.source.pk for source in record.sources.all()):
            return False
        record.sources.add(self.source)
        return True

    def create_organization(self, name):
        base, abbreviation = split_abbreviation(name)
        organization = Organization(name_en=base, kind="ngo")
        # Slugs are chosen here, from all those taken, not by a query per organization.
        organization.slug = free_slug(organization.slug_base(), self.slugs)
        self.slugs.add(organization.slug)
        organization.save()
        organization.sources.add(self.source)
        other_names = []
        if abbreviation:
            other_names.append(
                OrganizationName.objects.create(
                    organization=organization,
                    name=abbreviation,
                    language="en",
                    kind=OrganizationName.Kind.ABBREVIATION,
                )
            )
        # As if fetched with prefetch_related("other_names"), without the queries.
        organization._prefetched_objects_cache = {"other_names": other_names}
        self.keep(organization, name)
        return organization

    def ensure_status(self, organization, date, precision, level) -> bool:
        """The organization holds consultative status from this date: refine a status
        recorded less precisely, or add one. True if anything changed."""
        for membership in self.statuses.get(organization.pk, []):
            if (
                date is None
                or membership.start_date is None
                or consistent(membership.start_date, membership.start_precision, date, precision)
            ):
                return self.refine_status(membership, date, precision, level)
            if precision == DatePrecision.DAY and led_to(membership, date):
                # Its start stays the grant's; the dataset becomes one of its sources.
                return self.cite(membership)
        membership = Membership(
            organization=organization,
            network=self.network,
            role=CONSULTATIVE,
            level=level or Membership.Level.UNKNOWN,
            start_date=truncate_to_precision(date, precision),
            start_precision=precision,
        )
        membership.save()
        membership.sources.add(self.source)
        self.statuses.setdefault(organization.pk, []).append(membership)
        return True

    def refine_status(self, membership, date, precision, level) -> bool:
        fields = set()
        if date and (
            membership.start_date is None
            or PRECISIONS.index(precision) > PRECISIONS.index(membership.start_precision)
        ):
            membership.start_date = truncate_to_precision(date, precision)
            membership.start_precision = precision
            fields |= {"start_date", "start_precision"}
        if level and level != Membership.Level.UNKNOWN and membership.level != level:
            membership.level = level
            fields.add("level")
        if fields:
            membership.save(update_fields=fields)
        return self.cite(membership) or bool(fields)

    def record_former_name(self, organization, name, until) -> bool:
        key = name_key(name)
        if key in {name_key(organization.name_en), name_key(organization.name_zh)}:
            return False
        for other in organization.other_names.all():
            if name_key(other.name) == key:
                if other.kind == OrganizationName.Kind.FORMER and other.end_date:
                    return False
                other.kind, other.end_date = OrganizationName.Kind.FORMER, until
                other.end_precision = DatePrecision.DAY
                other.save()
                return True
        OrganizationName.objects.create(
            organization=organization,
            name=name,
            language="en",
            kind=OrganizationName.Kind.FORMER,
            end_date=until,
        )
        self.reload(organization)
        return True

    def rename(self, organization, new_name) -> bool:
        """Make the new name the organization's name where its name is one of the chain's
        (an editor's own choice of name is kept, and the new name added beside it)."""
        chain = {
            name_key(spelling)
            for name in self.chains.names_of(new_name)
            for spelling in (name, split_abbreviation(name)[0])
        }
        new_name, abbreviation = split_abbreviation(new_name)
        if name_key(new_name) in {name_key(organization.name_en), name_key(organization.name_zh)}:
            return False
        if organization.name_en and name_key(organization.name_en) not in chain:
            if any(
                name_key(other.name) == name_key(new_name)
                for other in organization.other_names.all()
            ):
                return False
            OrganizationName.objects.create(
                organization=organization,
                name=new_name,
                language="en",
                kind=OrganizationName.Kind.ALIAS,
            )
        else:
            for other in organization.other_names.all():
                if name_key(other.name) == name_key(new_name):
                    other.delete()  # it becomes the main name
            organization.name_en = new_name
            organization.save()
            self.cite(organization)
            if abbreviation and self.names.find(abbreviation) != organization.pk:
                OrganizationName.objects.create(
                    organization=organization,
                    name=abbreviation,
                    language="en",
                    kind=OrganizationName.Kind.ABBREVIATION,
                )
        self.reload(organization)
        return True

    def link_successor(self, predecessor, successor, date) -> bool:
        changed = False
        if predecessor.successor_id == successor.pk and predecessor.succeeded_on:
            # A merger noted at several sessions took effect at the first of them.
            date = min(date, predecessor.succeeded_on)
        if (predecessor.successor_id, predecessor.succeeded_on) != (successor.pk, date):
            predecessor.successor, predecessor.succeeded_on = successor, date
            predecessor.save(update_fields={"successor", "succeeded_on"})
            changed = True
        for membership in self.statuses.get(predecessor.pk, []):
            if membership.end_date is None and (membership.start_date or date) <= date:
                membership.end_date, membership.end_precision = date, DatePrecision.DAY
                membership.save(update_fields={"end_date", "end_precision"})
                changed = True
        return changed

    def session(self, date) -> CommitteeSession:
        if date not in self.sessions:
            self.sessions[date] = CommitteeSession.objects.create(date=date)
        return self.sessions[date]

    def record_decision(self, kind, organization, row, name, info="") -> bool:
        """Record the Committee's decision on the organization; True if it is new."""
        session = self.session(row.date)
        key = (session.pk, organization.pk, kind)
        if key in self.decisions:
            return False
        Decision.objects.create(
            session=session,
            organization=organization,
            kind=kind,
            name=name,
            file=row.file,
            row_number=row.row,
            info=info,
        )
        self.decisions.add(key)
        return True

    def end_status(self, organization, date) -> bool:
        """End the organization's consultative status open at this date (the latest to start
        on or before it), if it has one."""
        open_statuses = [
            membership
            for membership in self.statuses.get(organization.pk, [])
            if membership.end_date is None
            and (membership.start_date is None or membership.start_date <= date)
        ]
        if not open_statuses:
            return False
        membership = max(open_statuses, key=lambda m: m.start_date or datetime.date.min)
        membership.end_date, membership.end_precision = date, DatePrecision.DAY
        membership.save(update_fields={"end_date", "end_precision"})
        self.cite(membership)
        return True

    def find_or_create(self, name) -> Organization:
        organization = self.find(name)
        if organization is None:
            self.refuse_resembling(name)
            organization = self.create_organization(name)
        return organization

    # Rows

    def apply(self, row, report, first_rows):
        if isinstance(row, Problem):
            report.skipped.append({"row": row.row, "reason": row.reason})
            return "skipped"
        try:
            apply = {
                Grant: self.grant,
                Rename: self.rename_row,
                Merger: self.merger,
                Decided: self.decided,
                Cast: self.cast,
            }[type(row)]
            return apply(row, report, first_rows)
        except Flagged as flagged:
            self.flag(row, flagged)
            report.flagged.append(
                {
                    "row": row.row,
                    "name": flagged.name,
                    "resembles": str(flagged.candidate),
                    "resembles_slug": flagged.candidate.slug,
                }
            )
            return "flagged"

    def outcome(self, organization, changed, row, report, first_rows, name, same=None):
        """The row's outcome; `same` is what makes two rows of a file the same (for status
        granted, the organization)."""
        same = same or organization.pk
        if same in first_rows:
            report.duplicates.append({"row": row.row, "first_row": first_rows[same], "name": name})
            return "duplicate"
        first_rows[same] = row.row
        if organization.pk not in self.existing:
            self.existing.add(organization.pk)  # later rows, here or in other files, match it
            return "created"
        return "updated" if changed else "matched"

    def grant(self, row, report, first_rows):
        organization = self.find_or_create(row.name)
        changed = self.ensure_status(organization, row.date, DatePrecision.DAY, None)
        changed |= self.record_decision(Decision.Kind.GRANTED, organization, row, row.name)
        return self.outcome(organization, changed, row, report, first_rows, row.name)

    def rename_row(self, row, report, first_rows):
        organization = self.find(row.new_name)
        if organization is None:
            self.refuse_resembling(row.new_name, row.old_name)
            organization = self.create_organization(row.new_name)
        current = self.chains.current_name(row.new_name) or row.new_name
        changed = self.rename(organization, current)
        changed |= self.record_former_name(
            self.organizations[organization.pk], row.old_name, row.date
        )
        for status in row.statuses:
            since = datetime.date(status.year, 1, 1) if status.year else None
            changed |= self.ensure_status(organization, since, DatePrecision.YEAR, status.level)
        changed |= self.record_decision(Decision.Kind.RENAMED, organization, row, row.new_name)
        same = (organization.pk, name_key(row.old_name))
        return self.outcome(organization, changed, row, report, first_rows, row.new_name, same)

    def merger(self, row, report, first_rows):
        names = [
            row.new_name,
            *(name for name in row.old_names if name_key(name) != name_key(row.new_name)),
        ]
        found = {name: self.find(name) for name in names}
        self.refuse_resembling(
            *(name for name, organization in found.items() if organization is None)
        )
        organizations = {
            name: organization or self.create_organization(name)
            for name, organization in found.items()
        }
        successor, changed = organizations.pop(row.new_name), False
        for predecessor in organizations.values():
            if predecessor.pk != successor.pk:
                changed |= self.link_successor(predecessor, successor, row.date)
        levels = [status.level for status in row.statuses.values()]
        if levels and not self.statuses.get(successor.pk):
            changed |= self.ensure_status(successor, row.date, DatePrecision.DAY, levels[0])
        changed |= self.record_decision(
            Decision.Kind.MERGED, successor, row, row.new_name, row.info
        )
        same = (successor.pk, *sorted(organization.pk for organization in organizations.values()))
        return self.outcome(successor, changed, row, report, first_rows, row.new_name, same)

    def decided(self, row, report, first_rows):
        organization = self.find_or_create(row.name)
        changed = self.record_decision(row.decision, organization, row, row.name, row.info)
        if row.decision == Decision.Kind.STATUS_WITHDRAWN:
            changed |= self.end_status(organization, row.date)
        same = (organization.pk, row.date)
        return self.outcome(organization, changed, row, report, first_rows, row.name, same)

    def cast(self, row, report, first_rows):
        """A member state's vote, and the vote itself on its first row."""
        organization = None
        if row.organization_name:
            organization = self.find_or_create(row.organization_name)
            self.existing.add(organization.pk)
        session = self.session(row.date)
        fields = {
            "topic": row.topic,
            "organization": organization,
            "outcome": row.outcome,
            "outcome_as_written": row.outcome_as_written,
        }
        vote, changed = self.votes.get((session.pk, row.order)), False
        if vote is None:
            vote = Vote.objects.create(session=session, order=row.order, **fields)
            self.votes[(session.pk, row.order)] = vote
        elif any(getattr(vote, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(vote, name, value)
            vote.save()
            changed = True
        same = ("cast", vote.pk, row.country)
        if same in first_rows:
            report.duplicates.append(
                {"row": row.row, "first_row": first_rows[same], "name": row.country_as_written}
            )
            return "duplicate"
        first_rows[same] = row.row
        cast = self.casts.get((vote.pk, row.country))
        if cast is None:
            self.casts[(vote.pk, row.country)] = VoteCast.objects.create(
                vote=vote, country=row.country, choice=row.vote
            )
            return "created"
        if cast.choice != row.vote:
            cast.choice = row.vote
            cast.save(update_fields=["choice"])
            changed = True
        return "updated" if changed else "matched"

    def flag(self, row, flagged):
        names = [
            getattr(row, "name", None)
            or getattr(row, "new_name", None)
            or getattr(row, "organization_name", ""),
            *getattr(row, "old_names", ()),
            getattr(row, "old_name", ""),
        ]
        # What tells apart rows of the same names and date (none for grants, renames and
        # mergers, whose keys stay as they were).
        extra = {
            Decided: lambda: [row.decision],
            Cast: lambda: [str(row.order), row.country],
        }.get(type(row), list)()
        # A digest: a merger's three names may be longer than any column.
        key = hashlib.sha256(
            "|".join(
                [
                    type(row).__name__,
                    *map(name_key, filter(None, names)),
                    row.date.isoformat(),
                    *extra,
                ]
            ).encode()
        ).hexdigest()
        PossibleDuplicate.objects.pending().get_or_create(
            key=key,
            defaults={
                "file": row.file,
                "row_number": row.row,
                "name": flagged.name,
                "organization": flagged.candidate,
                "row": row_as_json(row),
                "run": self.run,
            },
        )

    def apply_files(self, files, progress=lambda rows, **kwargs: rows):
        reports = []
        self.chains = RenameChains(
            row for file in files for row in file.rows if isinstance(row, Rename)
        )
        for decisions in sorted(files, key=lambda file: ORDER.index(file.kind)):
            report = FileReport(decisions.name, decisions.kind, decisions.rows_read)
            first_rows = {}
            # Oldest decision first: a name changed twice is changed in the order it was.
            rows = sorted(
                decisions.rows, key=lambda row: (getattr(row, "date", datetime.date.min), row.row)
            )
            for row in progress(rows, desc=decisions.name):
                report.counts[self.apply(row, report, first_rows)] += 1
            reports.append(report)
        return reports


def row_as_json(row) -> dict:
    data = dataclasses.asdict(row)
    data["kind"] = type(row).__name__
    data["date"] = row.date.isoformat()
    return data


def row_from_json(data) -> Grant | Rename | Merger | Decided | Cast:
    data = dict(data)
    kind = {
        "Grant": Grant,
        "Rename": Rename,
        "Merger": Merger,
        "Decided": Decided,
        "Cast": Cast,
    }[data.pop("kind")]
    data["date"] = datetime.date.fromisoformat(data["date"])
    if kind is Rename:
        data["statuses"] = tuple(Status(**status) for status in data["statuses"])
    if kind is Merger:
        data["old_names"] = tuple(data["old_names"])
        data["statuses"] = {name: Status(**status) for name, status in data["statuses"].items()}
    return kind(**data)


class DryRun(Exception):
    """Raised to roll a dry run back."""


def import_decisions(files, *, user=None, run=None, dry_run=False, progress=None, name=None):
    """Apply the decision files in one transaction, as one change set; return a report per
    file. With dry_run, everything is rolled back and the reports say what would happen."""
    reports = []
    reason = run.change_reason if run else (name or _("ECOSOC import"))
    try:
        with transaction.atomic(), change_set(reason, user):
            importer = EcosocImport(run=run)
            reports = importer.apply_files(files, **({"progress": progress} if progress else {}))
            if dry_run:
                raise DryRun
            # The import is the directory's bulk path: it says so itself rather than rely on
            # each of its writes sending a signal (bulk_create and update() send none).
            data_changed()
    except DryRun:
        pass
    return reports
