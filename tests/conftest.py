import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import DIRECTORY_SIZE, make_directory
from website.cache import PENDING

OUR_APPS = ["directory", "networks", "events"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the directory as the fixtures describe it."""
    with django_db_blocker.unblock():
        call_command("load_fixtures", verbosity=0)


class GeneratedDirectory:
    """make_directory(DIRECTORY_SIZE), made once in the session for the tests that need many
    fully connected records. It is made in a transaction held open while those tests run and
    then rolled back, as Django's TestCase.setUpTestData does for a class: each test's own
    transaction is a savepoint inside it, so what a test changes is undone for the next.

    The tests that ask for it run one after another, after every other rolled-back database
    test and before the transactional ones (pytest_collection_modifyitems), and the
    transaction is rolled back after the last of them (pytest_runtest_teardown): no other
    test sees the records, and no flush removes them."""

    def __init__(self):
        self.hub = self.atomic = self.blocker = None

    def open(self, blocker):
        if self.atomic is None:
            self.atomic, self.blocker = transaction.atomic(), blocker
            with blocker.unblock():
                self.atomic.__enter__()
                self.hub = make_directory(DIRECTORY_SIZE)
        return self.hub

    def close(self):
        if self.atomic is not None:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
            self.hub = self.atomic = self.blocker = None


GENERATED = GeneratedDirectory()


@pytest.fixture(scope="session")
def generated_directory(django_db_setup, django_db_blocker):
    """The session's generated directory (GeneratedDirectory): its hub records. Session-scoped
    so that it is made before, and outside, the first test's own transaction."""
    return GENERATED.open(django_db_blocker)


def database_order(item):
    """pytest-django's order of tests: 0 for tests in a rolled-back transaction, 1 for
    transactional tests (which flush the database after them), 2 for the rest."""
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        marker
        and (
            marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
            or marker.kwargs.get("reset_sequences")
        )
    )
    transactional |= bool({"transactional_db", "live_server"} & set(item.fixturenames))
    uses_database = bool(marker) or "db" in item.fixturenames
    return 1 if transactional else 0 if uses_database else 2


def uses_generated_directory(item):
    return item is not None and "generated_directory" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # After pytest-django's own ordering, which this keeps: the tests of the generated
    # directory move to the end of the rolled-back database tests.
    items.sort(key=lambda item: (database_order(item), uses_generated_directory(item)))


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    # After the test's own fixtures (its savepoint among them) are torn down.
    if uses_generated_directory(item) and not uses_generated_directory(nextitem):
        GENERATED.close()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: a page cached by an earlier test may show
    records that test's rolled-back transaction created (a real commit would have moved the
    data generation on, see website.cache), and throttles start afresh. Emptied, the cache
    holds nothing stale: a change an earlier test's broken cache did not take is done with."""
    cache.clear()
    PENDING.clear()


@pytest.fixture(autouse=True)
def english_unless_asked():
    """Each test starts in English: a request to a /zh-hans/ page leaves Chinese active in
    the thread, which would otherwise leak into the next test."""
    with translation.override("en"):
        yield


# Personas: an anonymous visitor, a reader with an account but no permissions (alice), an
# editor with every model permission of the directory's apps (bob) and a superuser (charlie).


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def visitor(anonymous, settings):
    """An anonymous visitor whose pages and answers are never page-cached: each is built
    again, so that what else is cached (rows, counts, graphs, search answers) is what
    serves it."""
    settings.PAGE_CACHE_SECONDS = 0
    return anonymous


@pytest.fixture
def reader(db):
    user = User.objects.create_user("alice", "alice@example.org", "password")
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def editor_user(db):
    user = User.objects.create_user("bob", "bob@example.org", "password")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=OUR_APPS))
    return user


@pytest.fixture
def editor(editor_user):
    """The editor signs in with a token, as a script would."""
    client = APIClient()
    token = Token.objects.create(user=editor_user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("charlie", "charlie@example.org", "password")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client
