"""Addresses an organization no longer has (merged away, slug edited) lead to the one it is
now: pages and the API answer 301 with its address; writes and unknown addresses do not."""

import pytest
from django.core.exceptions import ValidationError

from directory.merging import merge_organizations
from directory.models import FormerSlug, Organization
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db


def make(name, **values):
    return Organization.objects.create(name_en=name, kind="ngo", **values)


@pytest.fixture
def merged():
    """'Old Partner' merged into 'Kept Partner'."""
    kept, duplicate = make("Kept Partner"), make("Old Partner")
    merge_organizations(kept, [duplicate])
    return kept


def test_a_merged_away_organizations_page_leads_to_the_one_it_became(client, merged):
    response = client.get("/en/organizations/old-partner/")
    assert_status(response, 301)
    assert response["Location"] == "/en/organizations/kept-partner/"
    response = client.get("/zh-hans/organizations/old-partner/?from=citation")
    assert_status(response, 301)
    assert response["Location"] == "/zh-hans/organizations/kept-partner/?from=citation"
    assert_status(client.get(response["Location"]), 200)


def test_the_api_leads_there_too_keeping_the_format(client, merged):
    response = client.get("/api/organizations/old-partner/?format=json")
    assert_status(response, 301)
    assert response["Location"] == "/api/organizations/kept-partner/?format=json"
    followed = client.get(response["Location"])
    assert_status(followed, 200)
    assert followed.json()["slug"] == "kept-partner"


def test_writes_to_a_former_address_are_not_followed(editor, merged):
    response = editor.patch(
        "/api/organizations/old-partner/", {"website": "https://example.org"}, format="json"
    )
    assert_status(response, 404)
    assert Organization.objects.get(slug="kept-partner").website == ""


def test_an_address_no_organization_had_is_still_not_found(client):
    assert_status(client.get("/en/organizations/never-was/"), 404)
    response = client.get("/api/organizations/never-was/")
    assert_status(response, 404)
    assert response.json()["detail"]


def test_a_chain_of_merges_leads_to_the_last_organization_in_one_step(client, merged):
    last = make("Last Partner")
    merge_organizations(last, [merged])
    for old in ("old-partner", "kept-partner"):
        response = client.get(f"/en/organizations/{old}/")
        assert_status(response, 301)
        assert response["Location"] == "/en/organizations/last-partner/"
    assert set(last.former_slugs.values_list("slug", flat=True)) == {"old-partner", "kept-partner"}


def test_an_edited_slug_leaves_the_old_address_leading_to_the_new(client):
    organization = Organization.objects.get(slug="cango")
    organization.slug = "china-association-for-ngo-cooperation"
    organization.save()
    response = client.get("/en/organizations/cango/")
    assert_status(response, 301)
    assert response["Location"] == "/en/organizations/china-association-for-ngo-cooperation/"
    # Saving again without a change retires nothing more.
    organization.save()
    assert list(organization.former_slugs.values_list("slug", flat=True)) == ["cango"]


def test_a_slug_taken_back_serves_its_page_again(client):
    organization = Organization.objects.get(slug="cango")
    organization.slug = "cango-2"
    organization.save()
    organization.slug = "cango"
    organization.save()
    assert_status(client.get("/en/organizations/cango/"), 200)
    assert_status(client.get("/en/organizations/cango-2/"), 301)


def test_a_new_organization_does_not_take_a_former_address(merged):
    newcomer = make("Old Partner")
    assert newcomer.slug == "old-partner-2"
    assert FormerSlug.objects.current_slug("old-partner") == "kept-partner"


def test_an_address_in_use_cannot_be_made_a_former_one():
    former = FormerSlug(
        slug="amity-foundation", organization=Organization.objects.get(slug="cango")
    )
    with pytest.raises(ValidationError) as raised:
        former.full_clean()
    assert "amity-foundation" not in str(raised.value)  # it names the organization
    assert "This is the address of" in str(raised.value)


def test_a_live_organizations_page_does_not_look_for_former_addresses(
    client, django_assert_num_queries, merged
):
    client.get("/en/organizations/kept-partner/")  # compiled and cached once
    with django_assert_num_queries(0, exact=False) as captured:
        assert_status(client.get("/en/organizations/kept-partner/"), 200)
    assert not any("directory_formerslug" in query["sql"] for query in captured.captured_queries)


def test_the_admin_list_of_former_addresses_runs_a_fixed_number_of_queries(superuser_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    organizations = list(Organization.objects.order_by("pk")[:6])

    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            response = superuser_client.get(reverse("admin:directory_formerslug_changelist"))
        assert_status(response, 200)
        return len(captured)

    def add(start, count):
        for number in range(start, start + count):
            FormerSlug.objects.create(
                slug=f"formerly-{number}", organization=organizations[number % len(organizations)]
            )

    add(0, 2)
    few = queries_for_list()
    add(2, 10)
    assert queries_for_list() == few
