"""The 404 and 500 pages: in the site's frame (header, navigation, footer) and the request's
language, the 500 without the database."""

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from website import urls as site_urls

# This module is also the URLconf of the 500's tests: the site's, and a page that breaks.


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [*site_urls.urlpatterns, *i18n_patterns(path("broken/", broken))]
handler404 = site_urls.handler404
handler500 = site_urls.handler500

FRAME = ['class="site-header"', 'class="main-nav"', 'id="site-search-q"', 'class="site-footer"']


def in_the_frame(html):
    return all(part in html for part in FRAME)


@pytest.mark.django_db
def test_a_missing_page_under_en_is_english_in_the_frame(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert in_the_frame(html)
    assert '<html lang="en">' in html
    assert "<h1>Page not found</h1>" in html and "找不到页面" not in html
    assert 'href="/en/"' in html


@pytest.mark.django_db
def test_a_missing_page_under_zh_hans_is_chinese_in_the_frame(client):
    response = client.get("/zh-hans/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert in_the_frame(html)
    assert '<html lang="zh-Hans">' in html
    assert "<h1>找不到页面</h1>" in html and "Page not found" not in html
    assert 'href="/zh-hans/"' in html


@pytest.mark.django_db
def test_a_missing_record_is_the_same_page(client):
    html = client.get("/en/organizations/no-such-organization/").content.decode()
    assert in_the_frame(html) and "<h1>Page not found</h1>" in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "heading", "other"),
    [
        ("en", "Something went wrong", "服务器出错了"),
        ("zh-hans", "服务器出错了", "Something went wrong"),
    ],
)
def test_a_broken_page_is_a_500_in_the_frame_and_language_without_the_database(
    client, django_assert_num_queries, language, heading, other
):
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get(f"/{language}/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert in_the_frame(html)
    assert f"<h1>{heading}</h1>" in html and other not in html
    # Plain addresses: the static files' manifest may be what broke.
    assert 'href="/static/directory/site.css"' in html
