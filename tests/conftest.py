import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

OUR_APPS = ["directory", "networks", "events"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the directory as the fixtures describe it."""
    with django_db_blocker.unblock():
        call_command("load_fixtures", verbosity=0)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: a page cached by an earlier test may show
    records that test's rolled-back transaction created (a real commit would have moved the
    data generation on, see website.cache), and throttles start afresh."""
    cache.clear()


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
