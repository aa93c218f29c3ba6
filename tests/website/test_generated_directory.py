"""The session's generated directory (tests/conftest.py): seen by the tests that ask for it, in
the order they need, and by no other test."""

import pytest

from directory.models import Organization
from tests.factories import DIRECTORY_SIZE


def generated_organizations():
    return Organization.objects.filter(slug__startswith="gen-organization-").count()


@pytest.mark.django_db
def test_a_test_that_does_not_ask_for_it_does_not_see_it():
    assert generated_organizations() == 0


@pytest.mark.django_db
def test_a_test_that_asks_for_it_sees_every_record(generated_directory):
    assert generated_organizations() == DIRECTORY_SIZE
    # Undone after this test, not after the session's last test of it.
    Organization.objects.filter(pk=generated_directory.organization.pk).update(name_en="renamed")


@pytest.mark.django_db
def test_what_a_test_changes_is_undone_for_the_next(generated_directory):
    generated_directory.organization.refresh_from_db()
    assert generated_directory.organization.name_en != "renamed"
    assert generated_organizations() == DIRECTORY_SIZE


@pytest.mark.django_db(transaction=True)
def test_after_the_last_test_of_it_it_is_gone():
    # Transactional tests run after every test of the generated directory.
    assert generated_organizations() == 0


def rolled_back(item):
    """Whether a test runs in a transaction rolled back after it (not a transactional one)."""
    marker = item.get_closest_marker("django_db")
    if marker is None and "db" not in item.fixturenames:
        return False
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    return not (transactional or "transactional_db" in item.fixturenames)


def test_its_tests_run_together_after_the_other_rolled_back_tests(request):
    items = request.session.items
    asks = [i for i, item in enumerate(items) if "generated_directory" in item.fixturenames]
    assert asks == list(range(asks[0], asks[-1] + 1))
    assert not any(rolled_back(item) for item in items[asks[-1] + 1 :])
    assert all(rolled_back(item) for item in items[asks[0] : asks[-1] + 1])
