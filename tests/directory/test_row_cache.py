"""The organization list's rows cached written (directory.api.row_cache): the same answer as
rows written afresh, fewer queries, and never a row older than the data."""

import pytest
from django.test import override_settings

from directory.models import Organization, Source
from networks.models import Membership, Network
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

LIST = "/api/organizations/"


def listed(visitor, django_assert_num_queries, queries, **params):
    with django_assert_num_queries(queries):
        response = visitor.get(LIST, {"page_size": 50, **params})
    assert_status(response, 200)
    return response


@pytest.fixture
def generated(generated_directory, db):
    return generated_directory


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ordering": "-name_en", "page": 2},
        {"kind": "foundation"},
        {"search": "gen organization"},
    ],
)
def test_cached_rows_answer_byte_for_byte_as_rows_written_afresh(
    visitor, generated, django_assert_num_queries, params
):
    with override_settings(DATA_CACHE_SECONDS=0):
        # count; the page's ids; its organizations; other names; fields; memberships;
        # sources (the ids are read first, from an index however deep the page)
        fresh = listed(visitor, django_assert_num_queries, 7, **params)
    # count; the page's ids; then, for the rows not cached, the same five reads
    first = listed(visitor, django_assert_num_queries, 7, **params)
    # the page's ids: the count (directory.list_counts) and every row are cached
    cached = listed(visitor, django_assert_num_queries, 1, **params)
    assert first.content == fresh.content == cached.content
    assert cached.json()["results"]


def test_a_page_of_cached_and_new_rows_keeps_its_order(
    visitor, generated, django_assert_num_queries
):
    with override_settings(DATA_CACHE_SECONDS=0):
        # count; the page's ids; its organizations and the four relations they list
        fresh = listed(visitor, django_assert_num_queries, 7, ordering="-name_en")
    # the page's 11th to 20th organizations cached beforehand, by a page of ten, and the
    # count of the selection, which the page size and the order do not change
    response = visitor.get(LIST, {"page_size": 10, "page": 2, "ordering": "-name_en"})
    assert_status(response, 200)
    cached = [item["slug"] for item in response.json()["results"]]
    assert cached == [item["slug"] for item in fresh.json()["results"]][10:20]
    # the page's ids; then, for the rows not cached, the five reads
    mixed = listed(visitor, django_assert_num_queries, 6, ordering="-name_en")
    assert mixed.content == fresh.content


@pytest.fixture
def member(generated):
    """An organization in one network, which nothing protects from deletion."""
    organization = Organization.objects.create(name_en="Aaa short-lived", kind="ngo")
    Membership.objects.create(
        organization=organization, network=Network.objects.first(), role="member"
    )
    return organization


def test_a_change_to_anything_a_row_shows_is_listed_at_once(editor, member):
    def row():
        results = editor.get(LIST, {"page_size": 100}).json()["results"]
        return next(item for item in results if item["slug"] == member.slug)

    [listed_membership] = row()["memberships"]

    # A record the row nests, changed without touching the organization itself.
    network = member.memberships.get().network
    network.name_en = "A renamed network"
    network.save()
    assert row()["memberships"][0]["network"]["name_en"] == "A renamed network"

    # A membership added through the API.
    other = Network.objects.exclude(pk=network.pk).first()
    response = editor.post(
        "/api/memberships/",
        {
            "organization": member.slug,
            "network": other.slug,
            "role": "member",
            "sources": [Source.objects.first().slug],
        },
        content_type="application/json",
    )
    assert_status(response, 201)
    assert {item["network"]["slug"] for item in row()["memberships"]} == {network.slug, other.slug}

    # Deleted through a queryset, not one by one.
    Membership.objects.filter(organization=member).delete()
    assert row()["memberships"] == []
    assert listed_membership["network"]["slug"] == network.slug


def test_rows_are_cached_apart_for_each_host(visitor, generated):
    here = visitor.get(LIST, HTTP_HOST="testserver").json()["results"][0]["url"]
    there = visitor.get(LIST, HTTP_HOST="localhost").json()["results"][0]["url"]
    assert here.startswith("http://testserver/") and there.startswith("http://localhost/")


@pytest.mark.parametrize("asked", [{"format": "csv"}, {"format": "api"}])
def test_other_formats_are_written_from_rows_as_before(
    visitor, generated, django_assert_num_queries, asked
):
    listed(visitor, django_assert_num_queries, 7)
    # CSV and the browsable API read and write every row, cached or not.
    response = visitor.get(LIST, {"page_size": 50, **asked})
    assert_status(response, 200)
    assert "cango" in response.content.decode()


def test_indented_json_is_written_afresh_and_means_the_same(
    visitor, generated, django_assert_num_queries
):
    compact = listed(visitor, django_assert_num_queries, 7)
    # the page's ids; its organizations; other names; fields; memberships; sources (the
    # count is cached)
    with django_assert_num_queries(6):
        indented = visitor.get(LIST, {"page_size": 50}, HTTP_ACCEPT="application/json; indent=2")
    assert b'\n  "count"' in indented.content
    assert indented.json() == compact.json()


def test_a_row_deleted_after_its_page_was_read_is_left_out(visitor, member, monkeypatch):
    from directory.api import row_cache

    reads_rows = row_cache.organization_rows

    def deleted_meanwhile(ids, links, serializer_class):
        assert member.pk in ids
        member.memberships.all().delete()
        member.delete()
        return reads_rows(ids, links, serializer_class)

    monkeypatch.setattr(row_cache, "organization_rows", deleted_meanwhile)
    response = visitor.get(LIST, {"page_size": 100})
    assert_status(response, 200)
    slugs = [item["slug"] for item in response.json()["results"]]
    assert member.slug not in slugs
    assert len(slugs) == min(100, response.json()["count"]) - 1
