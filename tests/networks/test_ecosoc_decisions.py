"""The Committee on NGOs' decisions as data: every kind of file, told by its name or by the
caller and never guessed; rows that are not names; decisions, statuses that follow from them,
and roll-call votes, read from the real files where they show the point."""

import collections
import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import translation

from directory.models import Organization
from directory.names import name_key
from networks.ecosoc import importer
from networks.ecosoc.importer import import_decisions
from networks.ecosoc.reading import (
    FILE_NAMES,
    KINDS,
    Cast,
    DecisionFile,
    Grant,
    Problem,
    UnreadableFile,
    kind_from_name,
    read_decisions,
    read_path,
)
from networks.ecosoc.votes import country_code, topic_organization
from networks.models import (
    CommitteeSession,
    Decision,
    ImportFile,
    ImportRun,
    Membership,
    Vote,
    VoteCast,
)
from tests.helpers import assert_status, run_jobs, shared_path

pytestmark = pytest.mark.django_db

ECOSOC = ("data", "ecosoc")


def real(name):
    return read_path(shared_path(*ECOSOC, name))


def table(*rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def named(kind, *rows, columns=("NGO_name", "Session_number")):
    return read_decisions(f"{kind}.csv", table(columns, *rows), kind=kind)


def statuses(organization):
    return organization.memberships.filter(
        network__slug=importer.NETWORK_SLUG, role=Membership.Role.CONSULTATIVE_STATUS
    )


# Kinds


def test_the_kind_is_read_from_the_dataset_file_name_whatever_its_number_or_format():
    names = sorted(path.name for path in shared_path(*ECOSOC).glob("*.xlsx"))
    assert {kind_from_name(name) for name in names} == set(KINDS)
    assert kind_from_name("1_ecosoc_status_granted.xlsx") == "granted"
    assert kind_from_name("12_mergers_organizations.xlsx") == "merged"
    assert kind_from_name("5_ecosoc_status_declined.csv") == "declined"
    assert kind_from_name("ecosoc_status_withdrawn_ownrequest.CSV") == "status_withdrawn"
    assert kind_from_name("grants.csv") is None
    assert set(FILE_NAMES.values()) == set(KINDS)


def test_a_file_whose_name_does_not_say_its_kind_is_refused_naming_the_kinds(tmp_path):
    content = table(("NGO_name", "Session_number"), ("Unnamed Kind Society", "2020-01-01"))
    with pytest.raises(UnreadableFile, match="cannot be told from its name") as refused:
        read_decisions("decisions.csv", content)
    assert all(kind in str(refused.value) for kind in KINDS)
    path = tmp_path / "decisions.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="granted, renamed, closed"):
        call_command("import_ecosoc", str(path))
    call_command("import_ecosoc", str(path), "--kind", "declined", stdout=io.StringIO())
    society = Organization.objects.get(name_en="Unnamed Kind Society")
    assert society.committee_decisions.get().kind == "declined"


def test_columns_that_do_not_fit_the_kind_are_refused_saying_what_was_expected(tmp_path):
    renames = table(("Old_name", "New_name", "Session_number"), ("A", "B", "2020-01-01"))
    with pytest.raises(UnreadableFile) as refused:
        read_decisions("renames.csv", renames, kind="granted")
    assert "expected NGO_name, Session_number, found Old_name, New_name, Session_number" in str(
        refused.value
    )
    # A file named as the dataset names it is held to its kind's columns too.
    path = tmp_path / "8_roll_call_votes.csv"
    path.write_bytes(table(("NGO_name", "Session_number"), ("X", "2020-01-01")))
    with pytest.raises(CommandError, match="expected Vote_topic, Country, Country_vote"):
        call_command("import_ecosoc", str(path))
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import_ecosoc", str(path), "--kind", "grants")


def upload(client, name, content, kind=""):
    return client.post(
        reverse("admin:networks_importrun_upload"),
        {"files": [SimpleUploadedFile(name, content)], "kind": kind},
    )


def test_the_admin_refuses_a_file_of_unknown_kind_or_whose_columns_do_not_fit(
    superuser_client,
):
    content = table(("NGO_name", "Session_number"), ("Admin Kind Society", "2020-01-01"))
    page = upload(superuser_client, "decisions.csv", content)
    assert_status(page, 200)
    assert "cannot be told from its name" in page.content.decode()
    page = upload(superuser_client, "decisions.csv", content, kind="renamed")
    assert_status(page, 200)
    assert "expected Old_name, New_name, Session_number" in page.content.decode()
    assert not ImportFile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_admin_reads_the_kind_from_the_name_or_takes_the_one_chosen(superuser_client):
    content = table(("NGO_name", "Session_number"), ("Admin Declined Society", "2020-01-01"))
    assert_status(upload(superuser_client, "5_ecosoc_status_declined.csv", content), 302)
    assert_status(upload(superuser_client, "notes.csv", content, kind="deferred"), 302)
    assert list(ImportFile.objects.values_list("name", "kind")) == [
        ("5_ecosoc_status_declined.csv", ""),
        ("notes.csv", "deferred"),
    ]
    run_jobs()
    runs = ImportRun.objects.order_by("id")
    assert [run.report["files"][0]["kind"] for run in runs] == ["declined", "deferred"]


# Rows that are not names


def test_list_markers_are_stripped_and_prose_is_skipped_in_the_real_files():
    renames = {row.row: row for row in real("2_name_changes.xlsx").rows}
    assert renames[43].new_name == "Knowledge for Development, Corp."
    assert renames[105].new_name == "International Alliance for Responsible Drinking"
    assert renames[128].old_name == "e 8"  # e8, a real name
    mergers = {row.row: row for row in real("12_mergers_organizations.xlsx").rows}
    assert mergers[11].old_names[0] == "International Women Judges Foundation"

    grants = {row.row: row for row in real("1_ecosoc_status_granted.xlsx").rows}
    assert grants[4647] == Grant(grants[4647].file, 4647, "e 8", grants[4647].date)
    skipped = {row.row: row.reason for row in grants.values() if isinstance(row, Problem)}
    assert skipped == {
        2190: "the name column holds a date (2025-06-28 00:00:00)",
        2398: "the name column holds a sentence, not a name (Here is your list, as "
        "requested, without bullet points and with each NGO on a separate line:)",
        2399: "the name is empty",
    }
    deferred = real("7_applications_deferred.xlsx")
    assert [(row.row, row.reason) for row in deferred.rows if isinstance(row, Problem)] == [
        (4250, "the row is empty")  # a blank line between rows is a row, and says so
    ]
    assert deferred.rows_read == 4902


# Decisions and status


def test_declined_or_withdrawn_applications_never_create_a_status():
    files = [real("5_ecosoc_status_declined.xlsx"), real("4_ecosoc_application_withdrawn.xlsx")]
    before = Membership.objects.count()
    reports = import_decisions(files)
    for report in reports:
        assert sum(report.counts.values()) == report.rows_read
    assert {r.kind: r.rows_read for r in reports} == {"declined": 40, "application_withdrawn": 54}
    assert Membership.objects.count() == before
    assert not Membership.objects.filter(sources__slug=importer.SOURCE_SLUG).exists()
    assert dict(Decision.objects.values_list("kind").annotate(n=Count("id"))) == {
        "declined": 40,
        "application_withdrawn": 54,
    }
    # The applicants are real organizations, created without any status.
    union = Organization.objects.get(name_en="Urgent Action Fund for Women\u2019s Human Rights")
    assert not union.memberships.exists()
    decision = union.committee_decisions.get()
    assert (decision.session.date.isoformat(), decision.file, decision.row_number) == (
        "2024-06-14",
        "5_ecosoc_status_declined.xlsx",
        3,
    )


def test_status_withdrawn_ends_the_status_granted_earlier_and_nothing_else_touches_it():
    files = [
        named("granted", ("Withdrawing Society", "2005-07-01"), ("Staying Society", "2005-07-01")),
        named("status_withdrawn", ("Withdrawing Society", "2012-06-08")),
        named("declined", ("Staying Society", "2013-01-01")),
        named("deferred", ("Staying Society", "2014-01-01"), ("Staying Society", "2015-01-01")),
    ]
    reports = import_decisions(files)
    assert [dict(report.counts) for report in reports] == [
        {"created": 2},
        {"updated": 1},
        {"updated": 1},
        {"updated": 2},
    ]
    [ended] = statuses(Organization.objects.get(name_en="Withdrawing Society"))
    assert (ended.start, ended.end) == ("2005-07-01", "2012-06-08")
    [open_status] = statuses(Organization.objects.get(name_en="Staying Society"))
    assert (open_status.start, open_status.end) == ("2005-07-01", "")
    assert Decision.objects.filter(name="Staying Society").count() == 4

    again = import_decisions(files)
    assert [dict(report.counts) for report in again] == [
        {"matched": 2},
        {"matched": 1},
        {"matched": 1},
        {"matched": 2},
    ]


def test_the_session_reads_in_both_languages():
    session = CommitteeSession.objects.create(date=datetime.date(2010, 6, 21))
    with translation.override("en"):
        assert str(session) == "Committee on NGOs, 2010-06-21"
    with translation.override("zh-hans"):
        assert str(session) == "非政府组织委员会\uff0c2010-06-21"


def test_cyva_granted_as_chinese_young_volunteers_association_stays_one_record():
    granted = real("1_ecosoc_status_granted.xlsx")
    session = [row for row in granted.rows if str(getattr(row, "date", "")) == "2010-06-21"]
    assert "Chinese Young Volunteers Association" in {row.name for row in session}
    [report] = import_decisions([DecisionFile(granted.name, granted.kind, session)])
    assert sum(report.counts.values()) == len(session)
    cyva = Organization.objects.get(slug="cyva")
    assert cyva.name_en == "China Young Volunteers Association"
    assert cyva.name_zh == "中国青年志愿者协会"
    assert not Organization.objects.filter(name_en__icontains="Young Volunteers").exclude(
        slug="cyva"
    )
    decision = cyva.committee_decisions.get()
    assert (decision.kind, decision.name) == ("granted", "Chinese Young Volunteers Association")
    # The Committee's recommendation of 2010-06-21 led to the status the Council granted in
    # 2010-07, which the essay states: one status, its start as cited.
    [status] = statuses(cyva)
    assert (status.start, status.level) == ("2010-07", "special")
    assert "ecosoc-status-dataset" in {source.slug for source in status.sources.all()}


def test_the_organizations_deferred_at_the_most_sessions():
    files = [real("7_applications_deferred.xlsx"), real("10_newapplications_deferred.xlsx")]
    import_decisions(files)
    most = (
        Decision.objects.filter(kind__in=["deferred", "new_application_deferred"])
        .values_list("organization__name_en")
        .annotate(sessions=Count("session", distinct=True))
        .order_by("-sessions")
    )
    assert list(most[:3]) == [
        ("International Dalit Solidarity Network", 26),
        ("Hokok Coalición Internacional contra la Impunidad", 25),
        ("Muslim Hands", 22),
    ]
    # The same from the files themselves, by name as written (folded).
    sessions = collections.defaultdict(set)
    for file in files:
        for row in file.rows:
            if not isinstance(row, Problem):
                sessions[name_key(row.name)].add(row.date)
    counted = sorted(((len(dates), key) for key, dates in sessions.items()), reverse=True)
    assert [count for count, _key in counted[:3]] == [26, 25, 22]


# Votes


def test_a_vote_and_its_member_states_from_the_real_file():
    votes = real("8_roll_call_votes.xlsx")
    assert votes.rows_read == 1789
    [report] = import_decisions([votes])
    assert dict(report.counts) == {"created": 1786, "duplicate": 2, "skipped": 1}
    assert report.skipped == [{"row": 496, "reason": "the row is empty"}]
    # Israel and the United States are listed twice in the vote of row 592.
    assert [d["row"] for d in report.duplicates] == [609, 610]
    assert Vote.objects.count() == 96 and VoteCast.objects.count() == 1786

    first = Vote.objects.get(order=1)
    assert first.session.date.isoformat() == "2024-06-14"
    assert first.organization.name_en == (
        "Non-Governmental Organization “Association of Wives and Mothers of Soldiers "
        "Participating in Ato”"
    )
    assert (first.outcome, first.outcome_as_written) == ("against", "against")
    tally = dict(first.casts.values_list("choice").annotate(n=Count("id")))
    assert tally == {"in_favour": 4, "against": 10, "abstained": 1, "absent": 4}
    assert set(first.casts.filter(choice="in_favour").values_list("country", flat=True)) == {
        "CL",
        "IL",
        "GB",
        "US",
    }
    motion = Vote.objects.get(order=19)
    assert motion.topic.startswith("Adjourn the debate") and motion.organization is None
    assert motion.outcome == "adopted"
    deferred = Vote.objects.get(order=34)
    assert deferred.outcome == "other"
    assert deferred.outcome_as_written.startswith("the Committee decided to defer")

    [again] = import_decisions([votes])
    assert dict(again.counts) == {"matched": 1786, "duplicate": 2, "skipped": 1}


def test_member_states_are_mapped_to_country_codes_and_an_unknown_one_is_skipped():
    assert {
        name: country_code(name)
        for name in [
            "United Kingdom of Great Britain and Northern Ireland",
            "Türkiye",
            "Turkey",
            "Russian Federation",
            "Iran (Islamic Republic of)",
            "Islamic Republic of Iran",
            "Venezuela (Bolivarian Republic of)",
            "United States",
            "United States of America.",
            "Côte d\u2019Ivoire",
            "the Sudan",
            "Kyrgyzstan.",
        ]
    } == {
        "United Kingdom of Great Britain and Northern Ireland": "GB",
        "Türkiye": "TR",
        "Turkey": "TR",
        "Russian Federation": "RU",
        "Iran (Islamic Republic of)": "IR",
        "Islamic Republic of Iran": "IR",
        "Venezuela (Bolivarian Republic of)": "VE",
        "United States": "US",
        "United States of America.": "US",
        "Côte d\u2019Ivoire": "CI",
        "the Sudan": "SD",
        "Kyrgyzstan.": "KG",
    }
    votes = read_decisions(
        "8_roll_call_votes.csv",
        table(
            ("Vote_topic", "Country", "Country_vote", "Vote_outcome", "Session_number"),
            ("Motion to adjourn", "Narnia", "against", "rejected", "2020-01-01"),
            ("", "Chile", "abstent", "", ""),
            ("", "Peru", "maybe", "", ""),
        ),
    )
    [report] = import_decisions([votes])
    assert dict(report.counts) == {"created": 1, "skipped": 2}
    assert [problem["row"] for problem in report.skipped] == [2, 4]
    assert "'Narnia' is not one the import knows" in report.skipped[0]["reason"]
    assert [(c.country.code, c.choice) for c in VoteCast.objects.all()] == [("CL", "abstained")]
    assert isinstance(votes.rows[1], Cast) and votes.rows[1].topic == "Motion to adjourn"


@pytest.mark.parametrize(
    ("topic", "organization"),
    [
        ("Coptic Solidarity", "Coptic Solidarity"),
        ("Reporters without Borders: rejected the noaction motion.", "Reporters without Borders"),
        ("Application not recommended Freedom Now", "Freedom Now"),
        ("application of Khmers Kampuchea-Krom Federation", "Khmers Kampuchea-Krom Federation"),
        (
            "African Technical Association, Withdrawal of the consultative status from the NGO",
            "African Technical Association",
        ),
        (
            "Consideration of special reports/complaints by member States Islamic African "
            "Relief Agency: The Committee rejected the Sudanese proposal",
            "Islamic African Relief Agency",
        ),
        ("Adjourn the debate under rule 50 of the rules of procedure", None),
        ("The proposal by the Sudan to recommend the withdrawal ... was adopted", None),
        ("Statements in explanation of vote before the vote: The proposal was carried", None),
        ("Explanation of vote before the vote: , the Committee decided", None),
        ("Review of the methods of work of the Committee: No-action motion", None),
    ],
)
def test_a_vote_topic_names_an_organization_unless_it_is_a_motion(topic, organization):
    assert topic_organization(topic) == organization


# All of it


def decision_tables():
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"directory", "networks", "events"}
    }


FULL_IMPORT = {
    "granted": {"created": 6168, "updated": 7, "duplicate": 15, "flagged": 3, "skipped": 3},
    "renamed": {"created": 78, "updated": 112, "duplicate": 3, "flagged": 11},
    "merged": {"created": 3, "updated": 2, "duplicate": 3, "flagged": 2, "skipped": 1},
    "status_withdrawn": {"created": 9, "updated": 8},
    "declined": {"created": 38, "updated": 2},
    "application_withdrawn": {"created": 44, "updated": 9, "flagged": 1},
    "closed": {"created": 783, "updated": 64, "flagged": 7},
    "deferred": {"created": 412, "updated": 4310, "flagged": 179, "skipped": 1},
    "new_application_deferred": {"created": 142, "updated": 2410, "flagged": 87, "skipped": 3},
    "reclassification_deferred": {"created": 22, "updated": 44},
    "votes": {"created": 1786, "duplicate": 2, "skipped": 1},
}


@pytest.mark.slow
def test_all_eleven_files_import_in_order_and_twice_change_nothing():
    paths = sorted(str(path) for path in Path(shared_path(*ECOSOC)).glob("*.xlsx"))
    assert len(paths) == 11
    output = io.StringIO()
    call_command("import_ecosoc", *paths, "--no-progress", stdout=output)
    lines = [line for line in output.getvalue().splitlines() if not line.startswith("  ")]
    assert [line.split(" ")[1] for line in lines[:-1]] == [f"({kind}):" for kind in FULL_IMPORT]

    files = [read_path(path) for path in paths]
    after = decision_tables()
    reports = import_decisions(files)
    assert decision_tables() == after
    for report in reports:
        assert sum(report.counts.values()) == report.rows_read
        assert report.counts["created"] == report.counts["updated"] == 0
    assert dict(Decision.objects.values_list("kind").annotate(n=Count("id"))) == {
        "granted": 6190,
        "renamed": 193,
        "merged": 8,
        "status_withdrawn": 17,
        "declined": 40,
        "application_withdrawn": 53,
        "closed": 847,
        "deferred": 4722,
        "new_application_deferred": 2552,
        "reclassification_deferred": 66,
    }
    # The first run's counts, read back from what it printed.
    for line, (kind, expected) in zip(lines, FULL_IMPORT.items(), strict=False):
        for outcome, count in expected.items():
            assert f" {count} {outcome}" in line, (kind, line)


# The admin


def test_the_admin_lists_decisions_and_votes_by_kind_year_and_organization(superuser_client):
    import_decisions(
        [
            named("declined", ("Listed Society", "2019-06-04"), ("Other Society", "2020-02-07")),
            read_decisions(
                "8_roll_call_votes.csv",
                table(
                    ("Vote_topic", "Country", "Country_vote", "Vote_outcome", "Session_number"),
                    ("Listed Society", "Chile", "against", "rejected", "2019-06-04"),
                    ("", "India", "in favor ", "", ""),
                ),
            ),
        ]
    )
    decisions = reverse("admin:networks_decision_changelist")
    page = superuser_client.get(decisions, {"q": "Listed", "kind": "declined", "year": "2019"})
    assert_status(page, 200)
    assert [d.name for d in page.context["cl"].result_list] == ["Listed Society"]
    page = superuser_client.get(decisions, {"year": "2020"})
    assert [d.name for d in page.context["cl"].result_list] == ["Other Society"]
    vote = Vote.objects.get()
    page = superuser_client.get(reverse("admin:networks_vote_change", args=[vote.pk]))
    assert_status(page, 200)
    assert "India" in page.content.decode() and "Chile" in page.content.decode()
    assert superuser_client.get(reverse("admin:networks_vote_add")).status_code == 403
    sessions = superuser_client.get(reverse("admin:networks_committeesession_changelist"))
    assert_status(sessions, 200)


@pytest.mark.parametrize(
    ("recommended_on", "count"),
    [
        # Weeks before the grant recorded from another source: the same status.
        (datetime.date(2012, 2, 10), 1),
        # Years before it: another status, ended or not, the files will say.
        (datetime.date(2009, 2, 10), 2),
        # After it: not the recommendation that led to it.
        (datetime.date(2012, 5, 10), 2),
    ],
)
def test_a_recommendation_weeks_before_a_recorded_grant_is_that_grant(recommended_on, count):
    ngo = Organization.objects.create(name_en="Recommended Society", kind="ngo", slug="recsoc")
    network = Membership.objects.filter(network__slug=importer.NETWORK_SLUG).first().network
    Membership.objects.create(
        organization=ngo,
        network=network,
        role=Membership.Role.CONSULTATIVE_STATUS,
        level=Membership.Level.SPECIAL,
        start_date=datetime.date(2012, 3, 1),
        start_precision="month",
    )
    grant = Grant("1_ecosoc_status_granted.xlsx", 2, "Recommended Society", recommended_on)
    import_decisions([DecisionFile(grant.file, "granted", [grant])])
    assert statuses(ngo).count() == count
    assert statuses(ngo).filter(start_date=datetime.date(2012, 3, 1), level="special").exists()
