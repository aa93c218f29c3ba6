import pytest
from django.contrib.auth.models import User
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the directory as the fixtures describe it."""
    with django_db_blocker.unblock():
        call_command("load_fixtures", verbosity=0)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("charlie", "charlie@example.org", "password")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client
