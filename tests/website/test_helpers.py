"""The suite's own helpers behave as the tests that use them expect."""

import pytest

from tests import helpers


def test_shared_data_is_found_beside_the_checkout():
    assert helpers.shared_path("data", "ecosoc").is_dir()


def test_absent_shared_data_skips_the_test_and_says_what_it_needs(monkeypatch, tmp_path):
    monkeypatch.setattr(helpers, "SHARED", tmp_path / "shared")
    with pytest.raises(pytest.skip.Exception, match=r"needs .*shared/popolo/schemas"):
        helpers.shared_path("popolo", "schemas")
