"""Importing the UN Committee on NGOs' decisions: the real files in full, bad rows, all or
nothing, reconciliation with what the directory already holds, and the review list."""

import csv
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from directory.models import FormerSlug, Organization
from networks.ecosoc import importer
from networks.ecosoc.importer import import_decisions
from networks.ecosoc.reading import read_decisions, read_path
from networks.ecosoc.review import resolve
from networks.models import Membership, PossibleDuplicate
from tests.helpers import assert_status, run_jobs, shared_path

pytestmark = pytest.mark.django_db

REAL_FILES = [
    ("data", "ecosoc", "1_ecosoc_status_granted.xlsx"),
    ("data", "ecosoc", "2_name_changes.xlsx"),
    ("data", "ecosoc", "12_mergers_organizations.xlsx"),
]
EXPECTED = {
    "granted": {
        # The prose line of 2018-02-23 is skipped, and "Chinese Young Volunteers
        # Association" updates the directory's CYVA.
        "created": 6168,
        "updated": 7,
        "matched": 0,
        "duplicate": 15,
        "flagged": 3,
        "skipped": 3,
    },
    "renamed": {
        "created": 78,
        "updated": 112,
        "matched": 0,
        "duplicate": 3,
        "flagged": 11,
        "skipped": 0,
    },
    "merged": {
        # "e International Women Judges Foundation" (row 11) is, without its list marker,
        # the organization of row 9.
        "created": 3,
        "updated": 2,
        "matched": 0,
        "duplicate": 3,
        "flagged": 2,
        "skipped": 1,
    },
}


def table(*rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def grants(*rows):
    return read_decisions(
        "grants.csv", table(("NGO_name", "Session_number"), *rows), kind="granted"
    )


def renames(*rows):
    return read_decisions(
        "renames.csv", table(("Old_name", "New_name", "Session_number"), *rows), kind="renamed"
    )


def mergers(*rows):
    return read_decisions(
        "mergers.csv",
        table(("Old_name1", "Old_name2", "New_name", "Session_number"), *rows),
        kind="merged",
    )


def snapshot():
    """How many rows every table holds, history included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"directory", "networks", "events"}
    }


def counts(reports):
    return {report.kind: dict(report.counts) | {"rows": report.rows_read} for report in reports}


@pytest.mark.slow
def test_the_real_files_import_with_exact_counts_and_again_change_nothing():
    files = [read_path(shared_path(*parts)) for parts in REAL_FILES]
    before = snapshot()
    dry = import_decisions(files, dry_run=True)
    assert snapshot() == before  # a dry run writes nothing
    for report in dry:
        assert {k: report.counts[k] for k in EXPECTED[report.kind]} == EXPECTED[report.kind]
        assert sum(report.counts.values()) == report.rows_read
    assert [report.rows_read for report in dry] == [6196, 204, 11]

    real = import_decisions(files)
    assert counts(real) == counts(dry)
    # Each created row is one organization, and mergers also create the predecessors that
    # never held status (7 of them).
    assert Organization.objects.count() == before["directory.Organization"] + 6168 + 78 + 3 + 7
    after = snapshot()
    again = import_decisions(files)
    assert snapshot() == after  # nothing created, changed or recorded in history
    for report in again:
        assert report.counts["created"] == report.counts["updated"] == 0

    # The fixtures' organizations were matched, not duplicated.
    amity = Organization.objects.get(slug="amity-foundation")
    [status] = amity.memberships.filter(network__slug=importer.NETWORK_SLUG)
    assert status.start == "2014-06-12"
    assert {source.slug for source in status.sources.all()} == {
        "cdb-2021-international-networks",
        importer.SOURCE_SLUG,
    }
    assert Organization.objects.filter(name_en__iexact="Amity Foundation").count() == 1
    # Names the articles do not give are not matched: the fixtures no longer say that the
    # 菲律宾水稻研究所 is IRRI or that VSO stands for Voluntary Service Overseas, so those
    # grants are new organizations, as they would be for any directory.
    for slug, grantee in [
        ("irri", "International Rice Research Institute"),
        ("vso", "Voluntary Service Overseas"),
    ]:
        assert not Organization.objects.get(slug=slug).memberships.exists()
        assert Organization.objects.filter(name_en=grantee).exclude(slug=slug).count() == 1
    rural = Organization.objects.get(name_en="China Foundation for Rural Development")
    assert rural.other_names.get(name="China Foundation for Poverty Alleviation").kind == "former"
    assert not Organization.objects.filter(
        name_en="China Foundation for Poverty Alleviation"
    ).exists()

    # A rename keeps the old name with its end date and the status level it stated.
    ilga = Organization.objects.get(name_en="ILGA World")
    former = ilga.other_names.get(name="International Lesbian and Gay Association")
    assert (former.kind, former.used_until) == ("former", "2024-06-14")
    assert ilga.memberships.get().level == "special"
    # Mergers link their predecessors to the successor.
    diakonie = Organization.objects.get(name_en="Protestant Agency for Diakonie and Development")
    assert {p.name_en for p in diakonie.predecessors.all()} == {
        "Social Service Agency of the Protestant Church in Germany",
        "Protestant Development Service",
    }
    assert {p.succeeded_on.isoformat() for p in diakonie.predecessors.all()} == {"2017-06-23"}


def test_bad_rows_are_reported_and_skipped_and_the_rest_imports():
    decisions = grants(
        ("Good Works Alliance", "2020-02-07"),
        ("", "2020-02-07"),
        ("2019-06-04", "2019-06-04"),
        ("Late Comers Union", "June 2019"),
        ("Good Works Alliance", "2021-02-07"),
    )
    [report] = import_decisions([decisions])
    assert report.skipped == [
        {"row": 3, "reason": "the name is empty"},
        {"row": 4, "reason": "the name column holds a date (2019-06-04)"},
        {"row": 5, "reason": "the decision date 'June 2019' is not a date"},
    ]
    assert dict(report.counts) == {"created": 1, "duplicate": 1, "skipped": 3}
    assert report.duplicates == [{"row": 6, "first_row": 2, "name": "Good Works Alliance"}]
    alliance = Organization.objects.get(name_en="Good Works Alliance")
    assert sorted(m.start for m in alliance.memberships.all()) == ["2020-02-07", "2021-02-07"]


def test_a_failure_half_way_leaves_the_directory_as_it_was(monkeypatch):
    before = snapshot()
    calls = []
    original = importer.EcosocImport.ensure_status

    def failing(self, *args):
        calls.append(args)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(self, *args)

    monkeypatch.setattr(importer.EcosocImport, "ensure_status", failing)
    with pytest.raises(RuntimeError):
        import_decisions(
            [
                grants(
                    ("First Org", "2020-01-01"),
                    ("Second Org", "2020-01-01"),
                    ("Third Org", "2020-01-01"),
                )
            ]
        )
    assert snapshot() == before


def test_names_match_whatever_their_spelling():
    [report] = import_decisions(
        [
            grants(
                ("the  AMITY foundation.", "2014-06-12"),
                ("China NGO Network for International Exchanges", "2008-08-15"),
            )
        ]
    )
    assert dict(report.counts) == {"updated": 2}
    cnie = Organization.objects.get(name_en="China NGO Network for International Exchanges")
    assert cnie.memberships.get(network__slug=importer.NETWORK_SLUG).start == "2008-08-15"


def test_a_new_organization_is_not_given_a_former_address():
    FormerSlug.objects.create(
        slug="harbour-lights-society", organization=Organization.objects.get(slug="cango")
    )
    [report] = import_decisions([grants(("Harbour Lights Society", "2014-06-12"))])
    assert dict(report.counts) == {"created": 1}
    assert Organization.objects.get(name_en="Harbour Lights Society").slug == (
        "harbour-lights-society-2"
    )


def test_a_resembling_name_waits_for_review_and_the_editor_decides(superuser):
    files = [
        grants(
            ("Global Alliance for TB Drug Development", "2004-01-16"),
            ("The Global Alliance for TB Drug Development, Inc.", "2009-03-04"),
            ("Earth Friends (EF)", "2010-01-01"),
            ("Earth Friends, Ltd.", "2011-01-01"),
        )
    ]
    [report] = import_decisions(files)
    assert dict(report.counts) == {"created": 2, "flagged": 2}
    first, second = PossibleDuplicate.objects.pending().order_by("row_number")
    assert (first.name, first.organization.name_en) == (
        "The Global Alliance for TB Drug Development, Inc.",
        "Global Alliance for TB Drug Development",
    )
    assert import_decisions(files)[0].counts["flagged"] == 2
    assert PossibleDuplicate.objects.pending().count() == 2  # not flagged twice

    resolve([first], same=True, user=superuser)
    alliance = first.organization
    assert alliance.other_names.filter(name=first.name, kind="alias").exists()
    assert sorted(m.start for m in alliance.memberships.all()) == ["2004-01-16", "2009-03-04"]
    resolve([second], same=False, user=superuser)
    created = Organization.objects.get(name_en="Earth Friends, Ltd.")
    assert created.memberships.get().start == "2011-01-01"
    assert set(PossibleDuplicate.objects.values_list("status", flat=True)) == {"same", "different"}
    assert [report.counts["flagged"] for report in import_decisions(files)] == [0]


def test_renames_chain_and_mergers_link():
    import_decisions(
        [
            grants(("Kizota Youth", "2020-02-07")),
            renames(
                (
                    "Tanzania Youth Organization (TYO) (special, 2020)",
                    "Tanzania Youth Organizers (TYO)",
                    "2023-06-05",
                ),
                ("Kizota Youth", "Tanzania Youth Organization (TYO)", "2023-09-16"),
            ),
            mergers(
                (
                    "Old Cause (in special consultative status)",
                    "Other Cause (an organization not in status with the Council)",
                    "New Cause",
                    "2019-06-04",
                )
            ),
        ]
    )
    organizers = Organization.objects.get(name_en="Tanzania Youth Organizers")
    assert dict(organizers.other_names.values_list("name", "kind")) == {
        "TYO": "abbreviation",
        "Kizota Youth": "former",
        "Tanzania Youth Organization (TYO)": "former",
    }
    assert organizers.memberships.get().level == "special"
    new_cause = Organization.objects.get(name_en="New Cause")
    assert {p.name_en for p in new_cause.predecessors.all()} == {"Old Cause", "Other Cause"}
    assert new_cause.memberships.get().level == "special"


def test_the_import_is_one_change_set_with_its_editor(editor_user):
    import_decisions(
        [grants(("Change Set Club", "2020-01-01"))], user=editor_user, name="Test import"
    )
    club = Organization.objects.get(name_en="Change Set Club")
    record = club.history.get()
    assert (record.history_user, record.history_change_reason) == (editor_user, "Test import")
    membership = Membership.history.get(organization_id=club.pk)
    assert membership.history_change_reason == "Test import"


def test_the_command_reports_and_refuses_what_it_cannot_read(tmp_path):
    path = tmp_path / "grants.csv"
    path.write_bytes(
        table(
            ("NGO_name", "Session_number"), ("Command Line Club", "2020-01-01"), ("", "2020-01-01")
        )
    )
    output = io.StringIO()
    call_command("import_ecosoc", str(path), "--kind", "granted", "--dry-run", stdout=output)
    text = output.getvalue()
    assert "2 rows read: 1 created, 0 updated, 0 matched, 0 duplicate, 0 flagged, 1 skipped" in text
    assert "skipped grants.csv, row 3: the name is empty" in text
    assert "Dry run: nothing was written." in text
    assert not Organization.objects.filter(name_en="Command Line Club").exists()
    call_command("import_ecosoc", str(path), "--kind", "granted", stdout=io.StringIO())
    assert Organization.objects.filter(name_en="Command Line Club").exists()

    with pytest.raises(CommandError, match="cannot be opened"):
        call_command("import_ecosoc", str(tmp_path / "missing.xlsx"))
    (tmp_path / "other.csv").write_bytes(table(("Name", "Date"), ("X", "2020-01-01")))
    with pytest.raises(CommandError, match="does not have the columns of a file of granted"):
        call_command("import_ecosoc", str(tmp_path / "other.csv"), "--kind", "granted")
    with pytest.raises(CommandError, match="no user"):
        call_command("import_ecosoc", str(path), "--kind", "granted", "--user", "nobody")


# The worker checks its database connection between jobs as Django does between requests,
# and closes one left in a transaction: these tests commit, as the site does.
JOBS = pytest.mark.django_db(transaction=True)


def upload_for_import(client, *rows, name="grants.csv", kind="granted"):
    """Upload a grants file in the admin (its kind chosen, as its name does not say it);
    the address of the run's page."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile(name, table(("NGO_name", "Session_number"), *rows))
    response = client.post(
        reverse("admin:networks_importrun_upload"), {"files": [upload], "kind": kind}
    )
    assert_status(response, 302)
    return response["Location"]


@JOBS
def test_the_admin_previews_then_imports_in_the_background(superuser_client, superuser):
    from networks.models import ImportRun

    run_page = upload_for_import(
        superuser_client, ("Admin Upload Society", "2020-01-01"), ("", "2020-01-01")
    )
    # The request only queued the preview: a worker runs it.
    waiting = superuser_client.get(run_page).content.decode()
    assert "Waiting for a worker" in waiting and 'http-equiv="refresh"' in waiting
    assert ImportRun.objects.get().status == "checking"

    run_jobs()
    preview = superuser_client.get(run_page).content.decode()
    assert "Nothing has been written" in preview and "Row 3: the name is empty" in preview
    assert 'http-equiv="refresh"' not in preview
    assert not Organization.objects.filter(name_en="Admin Upload Society").exists()

    assert superuser_client.post(run_page)["Location"] == run_page
    assert superuser_client.post(run_page)["Location"] == run_page  # confirmed twice
    assert "being applied" in superuser_client.get(run_page).content.decode()
    assert not Organization.objects.filter(name_en="Admin Upload Society").exists()
    assert run_jobs() == 1  # one import, however many confirmations

    done = superuser_client.get(run_page)
    assert done.status_code == 302
    society = Organization.objects.get(name_en="Admin Upload Society")
    record = society.history.get()
    assert record.history_user == superuser
    assert record.history_change_reason.startswith("Import #")
    report_page = superuser_client.get(done["Location"]).content.decode()
    assert "Imported. Possible duplicates wait for review." in report_page
    assert record.history_change_reason in report_page and "Row 3: the name is empty" in report_page


@JOBS
def test_a_running_import_shows_how_far_it_is(superuser_client, monkeypatch):
    """The page of a run whose job is running shows the rows done of the rows to do, read
    while the job runs."""
    from networks import jobs

    run_page = upload_for_import(
        superuser_client, *[(f"Progress Society {n}", "2020-01-01") for n in range(5)]
    )
    seen = []
    reports = []
    monkeypatch.setattr(jobs, "PROGRESS_SECONDS", 0)
    apply = importer.EcosocImport.apply

    def apply_and_look(self, row, *args):
        seen.append(superuser_client.get(run_page).content.decode())
        return apply(self, row, *args)

    monkeypatch.setattr(importer.EcosocImport, "apply", apply_and_look)
    monkeypatch.setattr(jobs.Progress, "report", record_reports(jobs.Progress.report, reports))
    run_jobs()
    assert "The files are being previewed" in seen[0]
    assert "0 of 5 rows (grants.csv)" in seen[0] or "Starting." in seen[0]
    assert "3 of 5 rows (grants.csv)" in seen[3] and '<progress max="5" value="3">' in seen[3]
    assert reports[-1] == 5
    # The progress is gone once the job ends.
    assert "of 5 rows" not in superuser_client.get(run_page).content.decode()


def record_reports(report, reports):
    def recording(progress, file_name):
        reports.append(progress.done)
        return report(progress, file_name)

    return recording


def test_an_editor_is_told_when_no_worker_takes_the_job(superuser_client, monkeypatch):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    run_page = upload_for_import(superuser_client, ("Unhurried Society", "2020-01-01"))
    assert "may not be running" not in superuser_client.get(run_page).content.decode()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=2))
    assert "manage.py run_worker" in superuser_client.get(run_page).content.decode()


def test_the_admin_refuses_a_file_it_cannot_read(superuser_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile("notes.csv", b"Name,Date\nX,2020-01-01\n")
    response = superuser_client.post(
        reverse("admin:networks_importrun_upload"), {"files": [upload], "kind": "granted"}
    )
    assert response.status_code == 200
    assert "does not have the columns of a file of granted" in response.content.decode()


def add_reviews_and_runs(count, start):
    """`count` possible duplicates and `count` imports, each with its uploader and report."""
    from django.contrib.auth.models import User

    from networks.models import ImportRun

    uploader = User.objects.create_user(f"uploader{start}")
    numbers = range(start, start + count)
    import_decisions(
        [
            grants(
                *[(f"Fixed Query Society {n}", "2020-01-01") for n in numbers],
                *[(f"Fixed Query Society {n}, Inc.", "2021-01-01") for n in numbers],
            )
        ]
    )
    [report] = import_decisions([grants(("Reported Row", "2020-01-01"))], dry_run=True)
    for n in numbers:
        ImportRun.objects.create(
            name=f"Import {n}", created_by=uploader, report={"files": [report.as_dict()]}
        )


@pytest.mark.parametrize("model", ["possibleduplicate", "importrun"])
def test_the_review_and_import_lists_run_a_fixed_number_of_queries(superuser_client, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            response = superuser_client.get(reverse(f"admin:networks_{model}_changelist"))
        assert response.status_code == 200
        return len(captured)

    add_reviews_and_runs(1, 0)
    few = queries_for_list()
    add_reviews_and_runs(6, 100)
    assert PossibleDuplicate.objects.count() == 7
    assert queries_for_list() == few


@JOBS
def test_a_database_failure_in_the_admin_is_a_message_and_writes_nothing(
    superuser_client, monkeypatch
):
    from django.db import IntegrityError

    run_page = upload_for_import(superuser_client, ("Refused Society", "2020-01-01"))
    run_jobs()

    def refuse(self, *args):
        raise IntegrityError("duplicate key value")

    monkeypatch.setattr(importer.EcosocImport, "ensure_status", refuse)
    before = snapshot()
    superuser_client.post(run_page)
    run_jobs()
    response = superuser_client.get(run_page)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported: duplicate key value" in page
    # Still previewed: it may be confirmed again once the fault is fixed.
    assert 'value="Import"' in page
    assert snapshot() == before


@JOBS
def test_an_error_of_the_site_in_a_job_is_logged_and_the_run_says_so(
    superuser_client, monkeypatch, caplog
):
    from networks.models import ImportRun

    def fail(self, *args):
        raise ValueError("a bug")

    monkeypatch.setattr(importer.EcosocImport, "apply", fail)
    run_page = upload_for_import(superuser_client, ("Unlucky Society", "2020-01-01"))
    run_jobs()
    run = ImportRun.objects.get()
    assert run.status == "failed"
    page = superuser_client.get(run_page).content.decode()
    assert "Nothing could be previewed: The import stopped on an error of the site" in page
    assert "Upload the files again" in page and 'value="Import"' not in page
    assert f"import run {run.pk} failed" in caplog.text
