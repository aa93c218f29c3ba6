"""Every change is kept with who made it and when, whether made in the admin or through the
API, and an editor can see a record's history and go back to an earlier version."""

import pytest
from django.urls import reverse

from directory.models import City, Organization
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db


def test_an_api_edit_is_recorded_with_its_editor(editor, editor_user):
    response = editor.patch(
        "/api/organizations/cango/", {"description_en": "Edited through the API."}, format="json"
    )
    assert_status(response, 200)
    latest = Organization.objects.get(slug="cango").history.first()
    assert latest.history_user == editor_user
    assert latest.history_type == "~"
    assert latest.description_en == "Edited through the API."


def test_an_admin_edit_is_recorded_with_its_editor(superuser_client, superuser):
    city = City.objects.get(slug="changsha")
    url = reverse("admin:directory_city_change", args=[city.pk])
    response = superuser_client.post(
        url,
        {
            "name_zh": "长沙市",
            "name_en": "Changsha",
            "slug": "changsha",
            "pinyin": "",
            "country": "CN",
        },
    )
    assert_status(response, 302)
    latest = City.objects.get(pk=city.pk).history.first()
    assert (latest.history_user, latest.name_zh) == (superuser, "长沙市")


def test_deletions_are_recorded(editor, editor_user):
    created = editor.post(
        "/api/people/",
        {"name_en": "Short Lived", "sources": ["cdb-2021-international-networks"]},
        format="json",
    ).json()
    assert_status(editor.delete(f"/api/people/{created['slug']}/"), 204)
    from directory.models import Person

    history = Person.history.filter(slug=created["slug"]).order_by("history_date")
    assert [record.history_type for record in history] == ["+", "-"]
    assert {record.history_user for record in history} == {editor_user}


def test_the_history_page_lists_changes(superuser_client, editor):
    editor.patch("/api/organizations/cango/", {"description_en": "Changed once."}, format="json")
    cango = Organization.objects.get(slug="cango")
    response = superuser_client.get(
        reverse("admin:directory_organization_history", args=[cango.pk])
    )
    assert_status(response, 200)
    assert "bob" in response.content.decode()


def test_an_editor_reverts_to_an_earlier_version(superuser_client):
    city = City.objects.get(slug="changsha")
    city.name_en = "Changsha City"
    city.save()
    city.name_en = "Wrong Name"
    city.save()
    first_edit = city.history.get(name_en="Changsha City")
    url = reverse("admin:directory_city_simple_history", args=[city.pk, first_edit.pk])
    assert_status(superuser_client.get(url), 200)
    response = superuser_client.post(
        url,
        {
            "name_zh": "长沙",
            "name_en": "Changsha City",
            "slug": "changsha",
            "pinyin": "",
            "country": "CN",
        },
    )
    assert_status(response, 302)
    assert City.objects.get(pk=city.pk).name_en == "Changsha City"


def test_every_models_history_manager_class_is_built_once():
    from django.apps import apps

    from directory.history import HistoryBuiltOnce

    for label in ("directory", "networks", "events"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical") or "history" not in model.__dict__:
                continue
            assert isinstance(model.__dict__["history"], HistoryBuiltOnce), model
    cango, amity = (Organization.objects.get(slug=slug) for slug in ("cango", "amity-foundation"))
    assert type(cango.history) is type(amity.history)
    # Each manager still reads its own record's history (loading fixtures writes none).
    assert not cango.history.exists()
    cango.save()
    assert [entry.id for entry in cango.history.all()] == [cango.pk]
    assert not amity.history.exists()
