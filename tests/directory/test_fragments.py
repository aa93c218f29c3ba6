"""An organization's graph cached drawn (directory.fragments): the same figure as drawn
afresh, shared by visitors and editors, apart for each language, and never older than the
data."""

import pytest
from django.test import Client, override_settings

from directory.models import Organization
from networks.models import Membership, Network
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

PAGE = "/{language}/organizations/amity-foundation/"
# for_detail() (12 queries, tests/website/test_page_queries.py), the one that reads the notes'
# sources, the three the graph reads for this organization (its networks' and programs' first
# members, and the organizations' abbreviations), and the two of its UN Committee on NGOs
# history (decisions, votes)
DRAWN = 18
CACHED = DRAWN - 3


def figure(client, django_assert_num_queries, queries=None, language="en"):
    """The page's graph: its <figure>, or the note that says there is none; the page runs
    `queries` SQL queries, if given."""
    if queries is None:
        response = client.get(PAGE.format(language=language))
    else:
        with django_assert_num_queries(queries):
            response = client.get(PAGE.format(language=language))
    assert_status(response, 200)
    html = response.content.decode()
    start = html.index('<section aria-labelledby="graph-heading">')
    return html[start : html.index("</section>", start)]


def test_a_cached_graph_is_the_graph_drawn_afresh(visitor, django_assert_num_queries):
    with override_settings(DATA_CACHE_SECONDS=0):
        fresh = figure(visitor, django_assert_num_queries, DRAWN)
        assert figure(visitor, django_assert_num_queries, DRAWN) == fresh
    assert figure(visitor, django_assert_num_queries, DRAWN) == fresh
    assert figure(visitor, django_assert_num_queries, CACHED) == fresh
    assert "<svg" in fresh and "Networks and programs around" in fresh


def test_each_language_caches_its_own_graph(visitor, django_assert_num_queries):
    english = figure(visitor, django_assert_num_queries, DRAWN)
    chinese = figure(visitor, django_assert_num_queries, DRAWN, language="zh-hans")
    assert "相关的网络与项目" in chinese and "相关的网络与项目" not in english
    assert figure(visitor, django_assert_num_queries, CACHED, language="zh-hans") == chinese
    assert figure(visitor, django_assert_num_queries, CACHED) == english


def test_a_signed_in_editor_shares_the_graph(visitor, editor_user, django_assert_num_queries):
    drawn = figure(visitor, django_assert_num_queries, DRAWN)
    editor = Client()
    editor.force_login(editor_user)
    response = editor.get(PAGE.format(language="en"))
    assert response.wsgi_request.user.is_authenticated
    # the editor's user is read as well
    assert figure(editor, django_assert_num_queries, CACHED + 1) == drawn


def test_the_graph_follows_every_edit(visitor, django_assert_num_queries):
    before = figure(visitor, django_assert_num_queries, DRAWN)
    network = Network.objects.create(name_en="Quokka Alliance", kind="platform", scope="national")
    Membership.objects.create(
        organization=Organization.objects.get(slug="amity-foundation"),
        network=network,
        role="member",
    )
    # drawn again, its new network's members read as well
    after = figure(visitor, django_assert_num_queries)
    assert "Quokka Alliance" in after and "Quokka Alliance" not in before
    Membership.objects.filter(network=network).delete()
    assert figure(visitor, django_assert_num_queries, DRAWN) == before
