"""An editor's answer to a possible duplicate: the row's organization is the one it resembles
(its name is kept as another name of that organization), or a different one (created). Either
way the row is then applied as the import would have applied it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from directory.history import change_set
from directory.models import OrganizationName
from directory.names import name_key
from networks.ecosoc.importer import EcosocImport, FileReport, row_from_json
from networks.models import PossibleDuplicate


def resolve(duplicates, *, same: bool, user=None) -> list[FileReport]:
    """Resolve pending possible duplicates; return what applying their rows did."""
    pending = [
        duplicate
        for duplicate in duplicates
        if duplicate.status == PossibleDuplicate.Status.PENDING
    ]
    reports = []
    status = PossibleDuplicate.Status.SAME if same else PossibleDuplicate.Status.DIFFERENT
    reason = (
        gettext("Review of possible duplicates (same)")
        if same
        else gettext("Review of possible duplicates (different)")
    )
    with transaction.atomic(), change_set(reason, user):
        importer = EcosocImport()
        for duplicate in pending:
            if same:
                if not duplicate.organization.other_names.filter(name=duplicate.name).exists():
                    OrganizationName.objects.create(
                        organization=duplicate.organization,
                        name=duplicate.name,
                        language="en",
                        kind=OrganizationName.Kind.ALIAS,
                    )
                importer.names.add(duplicate.organization_id, duplicate.name)
            else:
                importer.distinct_names.add(name_key(duplicate.name))
            duplicate.status, duplicate.resolved_by = status, user
            duplicate.resolved_at = timezone.now()
            duplicate.save()
            report = FileReport(duplicate.file, "review", rows_read=1)
            importer.run = duplicate.run
            report.counts[importer.apply(row_from_json(duplicate.row), report, {})] += 1
            reports.append(report)
    return reports
