"""Build the downloads (manage.py build_downloads): every exported list as gzip-compressed CSV
and JSON Lines, the whole directory as Popolo JSON, and the manifest.

The files are written by the exports themselves: each list's viewset (the one the API
serves, website.api.urls) selects and loads its records in batches and writes them
(directory.api.exports), and PopoloExport writes the Popolo document
(website.api.popolo), so a file holds exactly what /api/<list>/export.jsonl or
/api/popolo.json would give. Each is streamed into its gzip file a chunk at a time: memory
stays flat however large the directory.

A build is written into a hidden folder of its own; once every file is complete, the
folder is renamed to the build's name and the manifest replaced (website.downloads.manifest),
each an atomic rename. A build that fails leaves the files and manifest before it as they
were. The latest build and the one before it are kept (a reader who read the previous
manifest a moment ago can still fetch its file); older ones are deleted.
"""

import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.utils import timezone, translation

from directory.api.exports import Exported
from website.api import PATH_PREFIX
from website.api.popolo import PopoloExport
from website.backup.writing import snapshot
from website.cache import data_changed
from website.downloads.manifest import MANIFEST, downloads_directory, read_manifest

# The build's folder while it is written: hidden, and never taken for a build.
BUILDING_PREFIX = ".building-"
# A folder left by a build that was killed is deleted after this long (a build running
# meanwhile is not).
ABANDONED_SECONDS = 24 * 3600
POPOLO = "popolo"
FORMATS = {"csv": "csv", "jsonl": "jsonl"}
READ_BYTES = 1 << 20
# A build's folder (build_name): only these are ever deleted.
BUILD_NAME = re.compile(r"\d{8}T\d{6}Z(-\d+)?")


class DownloadsError(Exception):
    """A build that could not be completed, with the reason in words."""


def exported_lists():
    """(name, viewset) for every list of the API that has an export, in the API root's
    order: the viewsets the API serves, with the shapes that know every app."""
    from website.api.urls import router

    return [
        (prefix, viewset)
        for prefix, viewset, _basename in router.registry
        if issubclass(viewset, Exported)
    ]


def file_name(list_name, format):
    return f"{list_name}.{format}.gz"


class SiteRequest(WSGIRequest):
    """A GET of the API's root at SITE_URL, as the exports read it to write their links: a
    file is built outside any request. Its host is the configured address, taken as it is."""

    def get_host(self):
        return self.META["HTTP_HOST"]


def site_request(site_url):
    address = urlsplit(site_url)
    secure = address.scheme == "https"
    return SiteRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": PATH_PREFIX,
            "QUERY_STRING": "",
            "SERVER_NAME": address.hostname or "localhost",
            "SERVER_PORT": str(address.port or (443 if secure else 80)),
            "HTTP_HOST": address.netloc,
            "wsgi.url_scheme": address.scheme,
            "wsgi.input": io.BytesIO(),
        }
    )


def exporting_view(viewset_class, request):
    """The list's viewset as its export action sees it, for a request without filters: the
    whole list, in the list's order."""
    view = viewset_class(action_map={"get": "export"}, args=(), kwargs={}, format_kwarg=None)
    view.headers = {}
    view.request = view.initialize_request(request)
    view.request.version, view.request.versioning_scheme = view.determine_version(view.request)
    return view


class Counted:
    """The records of an iterator, counted as they pass."""

    def __init__(self, records):
        self.records, self.count = records, 0

    def __iter__(self):
        for record in self.records:
            self.count += 1
            yield record


class CountedPopolo(PopoloExport):
    """The Popolo document, counting the items it writes."""

    count = 0

    def sections(self):
        return {
            name: [(records, self.counting(write)) for records, write in parts]
            for name, parts in super().sections().items()
        }

    def counting(self, write):
        def counted(record):
            self.count += 1
            return write(record)

        return counted


def write_gzip(path, chunks, mtime):
    """The chunks (bytes) into a gzip file, one at a time."""
    with open(path, "wb") as raw:
        name = path.name.removesuffix(".gz")
        with gzip.GzipFile(filename=name, mode="wb", fileobj=raw, mtime=mtime) as stream:
            for chunk in chunks:
                stream.write(chunk)
        raw.flush()
        os.fsync(raw.fileno())


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(READ_BYTES):
            digest.update(block)
    return digest.hexdigest()


def consistent_reading():
    """One snapshot for the whole build on PostgreSQL (website.backup.writing.snapshot), so
    that every file shows the directory at one moment. SQLite would take its write lock for
    a transaction (transaction_mode IMMEDIATE), holding every editor back for the whole
    build: there the files are read without one."""
    if connection.vendor == "postgresql":
        return snapshot()
    return contextlib.nullcontext()


def build(directory=None, site_url=None, out=lambda text: None):
    """Write a new build and make it the latest; its manifest. Raises DownloadsError, or the
    database's or the file system's error, leaving the previous build in place."""
    directory = Path(directory or downloads_directory())
    site_url = site_url or settings.SITE_URL
    directory.mkdir(parents=True, exist_ok=True)
    built = timezone.now().replace(microsecond=0)
    started = time.perf_counter()
    staging = Path(tempfile.mkdtemp(prefix=BUILDING_PREFIX, dir=directory))
    try:
        files = write_files(staging, site_url, built, out, started)
        previous = read_manifest(directory)
        name = build_name(directory, built)
        staging.chmod(0o755)
        os.rename(staging, directory / name)
        manifest = {
            "built": built.isoformat(),
            "build": name,
            "site_url": site_url,
            "files": files,
        }
        write_manifest(directory, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    prune(directory, keep={name, previous["build"] if previous else name})
    # The pages and answers that list the downloads (About, /api/downloads/) may be
    # cached: they show the new build from now on.
    data_changed()
    return manifest


def write_files(staging, site_url, built, out, started):
    request = site_request(site_url)
    mtime = int(built.timestamp())
    files = []

    def written(list_name, format, records):
        path = staging / file_name(list_name, format)
        entry = {
            "name": path.name,
            "list": list_name,
            "format": format,
            "size": path.stat().st_size,
            "records": records,
            "sha256": sha256(path),
            "built": built.isoformat(),
        }
        out(
            f"  {path.name}: {records:,} records, {entry['size']:,} bytes "
            f"({time.perf_counter() - started:.0f} s)"
        )
        files.append(entry)

    with consistent_reading(), translation.override("en"):
        for list_name, viewset_class in exported_lists():
            for format in FORMATS:
                view = exporting_view(viewset_class, request)
                records = Counted(view.exported_records(view.exported_batches()))
                path = staging / file_name(list_name, format)
                write_gzip(path, view.exported_chunks(format, records), mtime)
                written(list_name, format, records.count)
        popolo = CountedPopolo(request)
        write_gzip(staging / file_name(POPOLO, "json"), popolo.chunks(), mtime)
        written(POPOLO, "json", popolo.count)
    return files


def build_name(directory, built):
    """The build's folder: the time it was built, made unique should two builds end in one
    second."""
    name = base = built.strftime("%Y%m%dT%H%M%SZ")
    suffix = 1
    while (directory / name).exists():
        suffix += 1
        name = f"{base}-{suffix}"
    return name


def write_manifest(directory, manifest):
    """The manifest, replaced in one rename: readers see the previous one or this one."""
    descriptor, partial = tempfile.mkstemp(prefix=".manifest-", dir=directory)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            json.dump(manifest, stream, ensure_ascii=False, indent=1)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(partial, 0o644)
        os.replace(partial, directory / MANIFEST)
    finally:
        Path(partial).unlink(missing_ok=True)


def prune(directory, keep):
    """Delete the builds other than `keep`, and folders of builds killed long ago; nothing
    else the folder may hold."""
    now = time.time()
    for path in directory.iterdir():
        if not path.is_dir() or path.name in keep:
            continue
        if BUILD_NAME.fullmatch(path.name) or (
            path.name.startswith(BUILDING_PREFIX) and now - path.stat().st_mtime > ABANDONED_SECONDS
        ):
            shutil.rmtree(path, ignore_errors=True)


def age_seconds(directory=None):
    """Seconds since the latest build, or None when there is none."""
    manifest = read_manifest(directory)
    if manifest is None:
        return None
    built = datetime.fromisoformat(manifest["built"])
    return (timezone.now() - built).total_seconds()
