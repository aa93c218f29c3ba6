"""directory.library_internals reaches past Django's and django-filter's public APIs: it runs
only on the releases it was written for, and an upgrade fails here until it is read again."""

import importlib.metadata

import pytest

from directory.library_internals import RELIES_ON


@pytest.mark.parametrize(("library", "version"), RELIES_ON.items())
def test_the_installed_library_is_the_release_it_was_written_for(library, version):
    assert importlib.metadata.version(library) == version, (
        f"directory/library_internals.py relies on {library}'s internals as of {version}: "
        "check it against the installed release, then update RELIES_ON."
    )


def test_every_library_it_relies_on_is_pinned_at_that_release():
    pins = importlib.metadata.distribution("civil-society-directory").requires or []
    for library, version in RELIES_ON.items():
        assert any(pin.startswith(f"{library}=={version}") for pin in pins), library
