"""API tokens can be revoked: a management command deletes them, and the next request that
presents one is refused."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from tests.helpers import assert_status

pytestmark = pytest.mark.django_db


def revoke(*usernames):
    out = io.StringIO()
    call_command("revoke_token", *usernames, stdout=out)
    return out.getvalue()


def test_a_revoked_token_is_refused_at_once(editor, editor_user):
    change = {"description_en": "Edited with a token."}
    assert_status(editor.patch("/api/organizations/cango/", change, format="json"), 200)
    assert revoke("bob") == "Revoked the API token of bob.\n"
    assert not Token.objects.filter(user=editor_user).exists()
    assert_status(editor.patch("/api/organizations/cango/", change, format="json"), 401)
    assert_status(editor.get("/api/organizations/cango/"), 401)


def test_revoking_leaves_other_users_tokens(editor, editor_user):
    other = Token.objects.create(user=User.objects.create_user("carol"))
    revoke("bob")
    assert Token.objects.filter(pk=other.pk).exists()


def test_a_user_without_a_token_is_told_so():
    User.objects.create_user("dave")
    assert revoke("dave") == "dave has no API token; nothing to revoke.\n"


def test_an_unknown_username_revokes_nothing(editor_user, editor):
    with pytest.raises(CommandError, match=r"No such user: nobody\. Nothing was revoked\."):
        revoke("bob", "nobody")
    assert Token.objects.filter(user=editor_user).exists()
