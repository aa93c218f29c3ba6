"""The spam string that replaced the publisher's name in one source article never ships."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Spelled in pieces so that this file does not itself contain what it looks for.
SPAM_MARKERS = ["".join(["w", "88"]), "".join(["手机", "下载App"])]


def shipped_files():
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def test_the_checkout_lists_fixtures_and_templates():
    names = {path.relative_to(ROOT).parts[0] for path in shipped_files()}
    assert {"fixtures", "templates", "directory"} <= names


def text_of(path):
    """A text file's content; nothing for a binary one (a NUL byte early on, as git decides),
    whose compressed bytes can spell three letters by chance (bench/latency.png did)."""
    content = path.read_bytes()
    if b"\0" in content[:8000]:
        return ""
    return content.decode("utf-8", errors="ignore")


@pytest.mark.parametrize("marker", SPAM_MARKERS)
def test_no_file_in_the_product_contains_the_spam_string(marker):
    offenders = [
        str(path.relative_to(ROOT))
        for path in shipped_files()
        if marker.lower() in text_of(path).lower()
    ]
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("marker", SPAM_MARKERS)
def test_no_record_in_the_database_contains_the_spam_string(marker):
    from django.apps import apps
    from django.core import serializers

    for app_label in ["directory", "networks", "events"]:
        for model in apps.get_app_config(app_label).get_models():
            dumped = serializers.serialize("json", model.objects.all())
            assert marker.lower() not in dumped.lower(), model.__name__
