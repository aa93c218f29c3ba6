"""manage.py backup_directory and restore_directory: a backup restored into an emptied
database gives back every record and link with its id; a non-empty database, a damaged file
or a record that does not fit is refused and nothing is restored."""

import itertools
import json
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.utils import timezone

from directory.models import ErrorReport, Organization
from networks.models import ImportFile, ImportRun, Membership, PossibleDuplicate
from tests.canonical import directory_snapshot
from website.backup import writing
from website.backup.contents import backup_models, history_models
from website.cache import current_generation
from website.generator.dataset import generate
from website.generator.plan import Plan

pytestmark = pytest.mark.django_db


def quiet(line):
    pass


def empty_the_directory():
    """What flush does to the three apps (their records, links and history), inside the
    test's transaction: the foreign keys are checked at the end of it, when all is gone."""
    for model in [*backup_models(), *history_models()]:
        for field in model._meta.local_many_to_many:
            field.remote_field.through._base_manager.all()._raw_delete(connection.alias)
        model._base_manager.all()._raw_delete(connection.alias)


def backup(path):
    call_command("backup_directory", str(path), stdout=StringIO())
    return path


def restore(path):
    out = StringIO()
    call_command("restore_directory", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def import_run(editor_user):
    """The records that name editors, hold JSON and bytes, and are stamped with times."""
    run = ImportRun.objects.create(
        name="ECOSOC 2024",
        created_by=editor_user,
        status=ImportRun.Status.APPLIED,
        applied_at=timezone.now(),
        report={"created": 3, "files": ["granted.xlsx"]},
    )
    ImportFile.objects.create(run=run, name="granted.xlsx", content=b"PK\x03\x04\x00\xff")
    PossibleDuplicate.objects.create(
        key="a" * 64,
        file="granted.xlsx",
        row_number=7,
        name="CANGO Inc.",
        organization=Organization.objects.get(slug="cango"),
        row={"name": "CANGO Inc."},
        run=run,
        status=PossibleDuplicate.Status.SAME,
        resolved_by=editor_user,
        resolved_at=timezone.now(),
    )
    # A reader's error report, which names its record generically (a content type).
    cango = Organization.objects.get(slug="cango")
    ErrorReport.objects.create(
        page=cango.get_absolute_url(),
        content_type=ContentType.objects.get_for_model(Organization),
        object_id=cango.pk,
        message="The founding year is wrong.",
        email="reader@example.org",
    )
    return run


@pytest.mark.parametrize("name", ["directory.json", "directory.json.gz"])
def test_a_restored_backup_holds_every_record_and_link_with_its_id(tmp_path, import_run, name):
    generate(Plan(organizations=40, people=20, memberships=80, events=3), seed=5, out=quiet)
    before = directory_snapshot(ids=True)
    path = backup(tmp_path / name)
    empty_the_directory()
    assert not any(model.objects.exists() for model in backup_models())

    output = restore(path)

    assert directory_snapshot(ids=True) == before
    assert f"directory.Organization: {len(before['directory.Organization']):,}" in output
    assert "left empty" not in output
    # Searches use the rebuilt indexes, and new records are numbered after the restored ones.
    assert Organization.objects.search("BCLARC").first().slug == "bclarc"
    assert Organization.objects.create(name_en="Founded after the restore", kind="ngo").pk > max(
        Organization.objects.exclude(name_en="Founded after the restore").values_list(
            "pk", flat=True
        )
    )


def test_the_backup_is_one_json_array_with_a_record_to_a_line(tmp_path, import_run):
    path = backup(tmp_path / "directory.json")
    lines = path.read_text(encoding="utf-8").splitlines()
    records = json.loads("\n".join(lines))
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(records) + 2
    labels = {record["model"] for record in records}
    assert {
        "directory.organization",
        "networks.membership",
        "events.talk",
        "networks.importrun",
    } <= labels
    assert not any("historical" in label for label in labels)
    run = next(record for record in records if record["model"] == "networks.importrun")
    assert run["fields"]["created_by"] == ["bob"]
    # Every digit of a time is kept (Django's JSON encoder drops the microseconds).
    assert run["fields"]["created_at"] == import_run.created_at.isoformat()


def test_editors_missing_from_the_database_are_left_empty_and_named(tmp_path, import_run):
    path = backup(tmp_path / "directory.json")
    empty_the_directory()
    import_run.created_by.delete()

    output = restore(path)

    assert "left empty: bob" in output
    assert ImportRun.objects.get().created_by is None
    assert PossibleDuplicate.objects.get().resolved_by is None


def test_a_database_holding_records_is_refused(tmp_path):
    path = backup(tmp_path / "directory.json")
    before = directory_snapshot(ids=True)
    with pytest.raises(CommandError, match=r"already holds directory records .*organizations"):
        restore(path)
    assert directory_snapshot(ids=True) == before


def rewritten(path, change):
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def set_field(model, field, value):
    def change(records):
        next(record for record in records if record["model"] == model)["fields"][field] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda records: records.append({"model": "auth.user", "pk": 9, "fields": {}}),
            "'auth.user' is not a kind of record a directory backup holds",
        ),
        (lambda records: records.append(["not", "a", "record"]), r"a record \(\{\) was expected"),
        (lambda records: records.append({"model": "directory.city"}), "needs a model, a pk"),
        (set_field("directory.organization", "founded_on", "last spring"), "last spring"),
        (set_field("networks.membership", "organization", 999_999), "refused a record"),
        (lambda records: records.append(records[-1]), "refused a record"),
        (set_field("networks.importrun", "created_by", 3), "by username"),
        (set_field("events.event", "weather", "sunny"), "Event has no field weather"),
    ],
)
def test_a_record_that_does_not_fit_restores_nothing(tmp_path, import_run, change, message):
    path = rewritten(backup(tmp_path / "directory.json"), change)
    empty_the_directory()
    with pytest.raises(CommandError, match=message):
        restore(path)
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (lambda text: text[: len(text) // 2], "cut short"),
        (lambda text: text.rstrip()[:-1], "cut short"),
        (lambda text: "{" + text, "not a directory backup"),
    ],
)
def test_a_damaged_file_restores_nothing(tmp_path, cut, message):
    path = backup(tmp_path / "directory.json")
    path.write_text(cut(path.read_text(encoding="utf-8")), encoding="utf-8")
    empty_the_directory()
    with pytest.raises(CommandError, match=message):
        restore(path)
    assert not Organization.objects.exists()


def test_a_damaged_compressed_file_restores_nothing(tmp_path):
    path = backup(tmp_path / "directory.json.gz")
    path.write_bytes(path.read_bytes()[:-200])
    empty_the_directory()
    with pytest.raises(CommandError, match=r"damaged \.gz file"):
        restore(path)
    assert not Organization.objects.exists()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        restore(tmp_path / "nowhere.json")


def test_a_failed_backup_leaves_no_file(tmp_path, monkeypatch):
    records = writing.records

    def failing(model):
        yield from itertools.islice(records(model), 2)
        raise DatabaseError("connection lost")

    monkeypatch.setattr(writing, "records", failing)
    with pytest.raises(CommandError, match="connection lost"):
        backup(tmp_path / "directory.json")
    assert list(tmp_path.iterdir()) == []


def test_a_backup_into_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match="There is no folder"):
        backup(tmp_path / "nowhere" / "directory.json")


def test_a_restore_makes_what_the_site_cached_stale(tmp_path):
    """Restored in bulk, without signals: the generation moves on all the same."""
    path = backup(tmp_path / "directory.json")
    empty_the_directory()
    before = current_generation()
    restore(path)
    assert current_generation() != before
