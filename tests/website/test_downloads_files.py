"""The daily downloads of the whole directory (website.downloads, manage.py build_downloads):
every exported list as CSV and JSON Lines and everything as Popolo JSON, gzip-compressed,
with a manifest; served at /downloads/<name>, listed at /api/downloads/ and on About."""

import csv
import gzip
import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_datetime

from directory.models import Organization
from tests.helpers import assert_status
from website.api.popolo import PopoloExport
from website.downloads import building
from website.downloads.building import exported_lists
from website.downloads.manifest import MANIFEST

pytestmark = pytest.mark.django_db

# The lists whose exports the API has (directory.api.exports.Exported): each is downloaded.
EXPORTED = [
    "organizations",
    "people",
    "positions",
    "sources",
    "networks",
    "memberships",
    "programs",
    "committee-sessions",
    "decisions",
    "votes",
    "events",
    "sessions",
    "talks",
    "participations",
]
NOT_BUILT = {
    "en": "No downloads have been built yet.",
    "zh-hans": "下载文件尚未生成。",
}


@pytest.fixture
def downloads(settings, tmp_path):
    """An empty downloads folder of the test's own."""
    settings.DOWNLOADS_DIRECTORY = tmp_path / "downloads"
    return settings.DOWNLOADS_DIRECTORY


def build_downloads(*args):
    out = io.StringIO()
    call_command("build_downloads", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def built(downloads):
    build_downloads()
    return downloads


def manifest(folder):
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def path_of(folder, name):
    return folder / manifest(folder)["build"] / name


def entry(folder, name):
    [found] = [file for file in manifest(folder)["files"] if file["name"] == name]
    return found


def lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


def rows(path):
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def listed(client, endpoint):
    """The list API's records, every page of them."""
    records, page = [], 1
    while page:
        response = client.get(f"/api/{endpoint}/", {"page": page, "page_size": 100})
        assert_status(response, 200)
        records += response.json()["results"]
        page = page + 1 if response.json()["next"] else None
    return records


def files_of_the_build(folder):
    return sorted(path.name for path in (folder / manifest(folder)["build"]).iterdir())


def test_every_exported_list_is_downloaded():
    assert [name for name, _viewset in exported_lists()] == EXPORTED


def test_the_build_writes_every_list_as_csv_and_json_lines_and_popolo(built):
    expected = [f"{name}.{format}.gz" for name in EXPORTED for format in ("csv", "jsonl")]
    expected.append("popolo.json.gz")
    assert [file["name"] for file in manifest(built)["files"]] == expected
    assert files_of_the_build(built) == sorted(expected)
    # Nothing else is left in the folder: no hidden folder of the build, no partial manifest.
    assert sorted(path.name for path in built.iterdir()) == sorted(
        [MANIFEST, manifest(built)["build"]]
    )


def test_the_csv_gives_every_organization(built):
    header, *records = rows(path_of(built, "organizations.csv.gz"))
    slugs = [record[header.index("slug")] for record in records]
    assert sorted(slugs) == sorted(Organization.objects.values_list("slug", flat=True))
    assert all(len(record) == len(header) for record in records)


def test_the_csv_starts_with_a_byte_order_mark_for_excel(built):
    with gzip.open(path_of(built, "organizations.csv.gz"), "rb") as stream:
        assert stream.read(3) == b"\xef\xbb\xbf"


@pytest.mark.parametrize("endpoint", EXPORTED)
def test_json_lines_are_the_list_apis_records(built, anonymous, endpoint):
    assert lines(path_of(built, f"{endpoint}.jsonl.gz")) == listed(anonymous, endpoint)


@pytest.mark.parametrize("endpoint", EXPORTED)
def test_the_csv_has_the_export_columns_and_a_row_per_record(built, anonymous, endpoint):
    header, *records = rows(path_of(built, f"{endpoint}.csv.gz"))
    response = anonymous.get(f"/api/{endpoint}/export.csv")
    exported = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [header, *records] == list(csv.reader(io.StringIO(exported)))


def test_popolo_is_the_whole_directory_as_the_api_writes_it(built, anonymous):
    with gzip.open(path_of(built, "popolo.json.gz"), "rb") as stream:
        document = json.load(stream)
    response = anonymous.get("/api/popolo.json")
    assert document == json.loads(b"".join(response.streaming_content))
    items = sum(len(section) for section in document.values())
    assert entry(built, "popolo.json.gz")["records"] == items
    assert len(document["organizations"]) >= Organization.objects.count()


def test_the_manifest_gives_each_files_size_records_and_hash(built):
    listing = manifest(built)
    built_at = parse_datetime(listing["built"])
    assert abs((timezone.now() - built_at).total_seconds()) < 600
    for file in listing["files"]:
        path = path_of(built, file["name"])
        content = path.read_bytes()
        assert file["size"] == len(content)
        assert file["sha256"] == hashlib.sha256(content).hexdigest()
        assert file["built"] == listing["built"]
        if file["format"] == "jsonl":
            assert file["records"] == len(lines(path))
        elif file["format"] == "csv":
            assert file["records"] == len(rows(path)) - 1
    assert entry(built, "organizations.csv.gz")["records"] == Organization.objects.count()


def test_the_build_keeps_the_latest_and_the_one_before(built):
    first = manifest(built)["build"]
    build_downloads()
    second = manifest(built)["build"]
    build_downloads()
    third = manifest(built)["build"]
    assert len({first, second, third}) == 3
    folders = sorted(path.name for path in built.iterdir() if path.is_dir())
    assert folders == sorted([second, third])


def test_a_recent_build_is_not_built_again_when_asked_only_if_old(built):
    before = manifest(built)
    assert "not built" in build_downloads("--if-older-than", "24")
    assert manifest(built) == before
    build_downloads("--if-older-than", "0")
    assert manifest(built)["build"] != before["build"]


def test_with_no_build_yet_the_build_if_old_builds(downloads):
    build_downloads("--if-older-than", "24")
    assert (downloads / MANIFEST).exists()


@pytest.mark.parametrize(
    "failure",
    [
        DatabaseError("the database went away"),
        OSError(28, "No space left on device"),
    ],
)
def test_a_failed_build_leaves_the_previous_files_in_place(built, monkeypatch, failure):
    before = manifest(built)
    contents = {file["name"]: path_of(built, file["name"]).read_bytes() for file in before["files"]}
    written = []

    def fail_mid_way(record):
        # Half the lists are written by then, and the Popolo document has begun.
        assert len(list(built.glob(".building-*/*.gz"))) == 2 * len(EXPORTED) + 1
        written.append(record)
        raise failure

    monkeypatch.setattr(PopoloExport, "organization", lambda self, record: fail_mid_way(record))
    with pytest.raises(CommandError, match="No downloads were built, the previous ones are kept"):
        build_downloads()
    assert written, "the build failed mid-way"
    assert manifest(built) == before
    for name, content in contents.items():
        assert path_of(built, name).read_bytes() == content
    assert sorted(path.name for path in built.iterdir()) == sorted([MANIFEST, before["build"]])


def test_a_failed_first_build_leaves_no_files(downloads, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(building, "write_gzip", fail)
    with pytest.raises(CommandError, match="No space left on device"):
        build_downloads()
    assert list(downloads.iterdir()) == []


def test_a_download_is_the_file_with_its_headers(built, anonymous):
    file = entry(built, "organizations.csv.gz")
    response = anonymous.get("/downloads/organizations.csv.gz")
    assert_status(response, 200)
    assert b"".join(response.streaming_content) == path_of(built, file["name"]).read_bytes()
    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Length"] == str(file["size"])
    assert response["Content-Disposition"] == 'attachment; filename="organizations.csv.gz"'
    assert response["ETag"] == f'"{file["sha256"]}"'
    built_at = parse_datetime(file["built"])
    assert response["Last-Modified"] == built_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert response["Cache-Control"] == "public, max-age=3600"
    assert "Content-Encoding" not in response, "the file is downloaded compressed, as it is"


def test_a_download_not_changed_since_is_a_304(built, anonymous):
    response = anonymous.get("/downloads/popolo.json.gz")
    again = anonymous.get("/downloads/popolo.json.gz", HTTP_IF_NONE_MATCH=response["ETag"])
    assert_status(again, 304)
    assert again["ETag"] == response["ETag"]


@pytest.mark.parametrize(
    "address",
    [
        "/downloads/no-such-list.csv.gz",
        "/downloads/manifest.json",
        "/downloads/..%2Fmanifest.json",
        "/downloads/../manifest.json",
        "/downloads/%2E%2E/settings.py",
        "/downloads/stray.csv.gz",
        "/downloads/",
    ],
)
def test_only_the_manifests_files_are_served(built, anonymous, address):
    # A file in the build's folder that the manifest does not list is not served either.
    (built / manifest(built)["build"] / "stray.csv.gz").write_bytes(b"not ours")
    response = anonymous.get(address)
    assert response.status_code == 404


def test_no_request_builds_the_downloads(downloads, anonymous):
    assert anonymous.get("/downloads/organizations.csv.gz").status_code == 404
    assert anonymous.post("/downloads/organizations.csv.gz").status_code == 405
    assert anonymous.get("/api/downloads/").json() == []
    assert not downloads.exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_about_links_each_download_with_its_size_and_date(built, client, language):
    response = client.get(f"/{language}/about/")
    assert_status(response, 200)
    html = response.content.decode()
    built_at = parse_datetime(manifest(built)["built"])
    with translation.override(language):
        date = formats.date_format(timezone.localtime(built_at), "Y-m-d H:i T")
        for file in manifest(built)["files"]:
            link = f'<a href="/downloads/{file["name"]}" download>'
            assert link in html
            after = html[html.index(link) :]
            assert after.index(f"({filesizeformat(file['size'])})") < after.index("</li>")
    assert date in html
    assert {"en": f"Built {date}.", "zh-hans": f"生成于 {date}。"}[language] in html
    assert NOT_BUILT[language] not in html
    assert {"en": "Organizations:", "zh-hans": "机构:"}[language] in html


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_about_says_when_no_download_is_built_yet(downloads, client, language):
    html = client.get(f"/{language}/about/").content.decode()
    assert NOT_BUILT[language] in html
    assert "/downloads/" not in html


def test_about_shows_a_new_build_at_once_though_cached(downloads, client):
    assert NOT_BUILT["en"] in client.get("/en/about/").content.decode()
    build_downloads()
    assert 'href="/downloads/organizations.csv.gz"' in client.get("/en/about/").content.decode()


def test_the_api_root_links_the_downloads_listing(anonymous):
    root = anonymous.get("/api/").json()
    assert root["downloads"] == "http://testserver/api/downloads/"


def test_the_api_lists_the_downloads_with_their_addresses(built, anonymous):
    response = anonymous.get("/api/downloads/")
    assert_status(response, 200)
    listing = response.json()
    files = manifest(built)["files"]
    assert [file["name"] for file in listing] == [file["name"] for file in files]
    for listed_file, file in zip(listing, files, strict=True):
        assert listed_file["url"] == f"http://testserver/downloads/{file['name']}"
        for field in ("list", "format", "size", "records", "sha256"):
            assert listed_file[field] == file[field]
        assert parse_datetime(listed_file["built"]) == parse_datetime(file["built"])
        assert anonymous.get(listed_file["url"]).status_code == 200


def test_the_schema_declares_the_downloads_listing(anonymous):
    schema = anonymous.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/downloads/"]["get"]
    assert operation["operationId"] == "downloads_list"
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    assert body["items"] == {"$ref": "#/components/schemas/Download"}
    fields = schema["components"]["schemas"]["Download"]["properties"]
    assert set(fields) == {"name", "url", "list", "format", "size", "records", "sha256", "built"}
