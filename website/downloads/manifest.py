"""The downloads' manifest: which build is the latest, and its files.

DOWNLOADS_DIRECTORY holds one folder per build (named by the time it was built) and
manifest.json, which names the latest build's folder and lists its files: name, list,
format, size in bytes, records, SHA-256 and the time built. A build writes its folder first
and the manifest last, each under a temporary name renamed into place, so that a reader
sees either the previous build or the new one, whole, never part of one.
"""

import json
import logging
from pathlib import Path

from django.conf import settings
from django.utils.dateparse import parse_datetime

MANIFEST = "manifest.json"

logger = logging.getLogger(__name__)


def downloads_directory() -> Path:
    return Path(settings.DOWNLOADS_DIRECTORY)


def read_manifest(directory=None):
    """The latest build's manifest, or None when there is none (no build yet, or a manifest
    that cannot be read, which is logged)."""
    path = Path(directory or downloads_directory()) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["files"] = [dict(entry) for entry in manifest["files"]]
        manifest["build"] = str(manifest["build"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("The downloads' manifest %s cannot be read: %s", path, error)
        return None
    return manifest


def latest_files(directory=None):
    """The latest build's files, as the manifest lists them, each with `built` as a
    datetime; [] when there is no build."""
    manifest = read_manifest(directory)
    if manifest is None:
        return []
    return [{**entry, "built": parse_datetime(entry["built"])} for entry in manifest["files"]]


def find_file(name, directory=None):
    """Where the latest build's file of this name is, and its entry in the manifest; (None,
    None) for a name the manifest does not list. Only the names listed are ever opened, so
    no address reaches another file."""
    directory = Path(directory or downloads_directory())
    manifest = read_manifest(directory)
    if manifest is None:
        return None, None
    for entry in manifest["files"]:
        if entry.get("name") == name:
            return directory / manifest["build"] / name, entry
    return None, None
