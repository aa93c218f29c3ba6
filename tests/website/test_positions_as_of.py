"""A position not known to have ended says when its evidence is from ("as of 2021-04"), on
pages and in the API, rather than read as held today."""

import datetime

import pytest

from directory.models import Organization, Person, Position, Source
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db


def test_an_undated_position_is_shown_as_of_its_articles_month(client):
    # 王香奕, 秘书长: stated by the April 2021 article, with no dates.
    position = Position.objects.get(person__slug="wang-xiangyi")
    assert (position.start_date, position.end_date) == (None, None)
    published = max(source.published_on for source in position.sources.all())
    as_of = f"{published:%Y-%m}"
    assert position.as_of == as_of == "2021-04"
    for path in (
        "/en/people/wang-xiangyi/",
        position.organization.get_absolute_url().replace("/zh-hans/", "/en/"),
        "/en/people/",
    ):
        page = client.get(path).content.decode()
        assert f'(as of <time datetime="{as_of}">{as_of}</time>)' in page, path
    page = client.get("/zh-hans/people/wang-xiangyi/").content.decode()
    assert f'(截至 <time datetime="{as_of}">{as_of}</time>)' in page


def test_the_api_carries_as_of_and_an_ended_position_has_none(client):
    response = client.get("/api/people/wang-xiangyi/")
    assert_status(response, 200)
    [position] = response.json()["positions"]
    assert position["as_of"] == "2021-04" and position["end"] == ""

    person = Person.objects.create(name_en="Former Officer")
    ended = Position.objects.create(
        person=person,
        organization=Organization.objects.get(slug="cango"),
        title_en="Officer",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2019, 1, 1),
    )
    ended.sources.set(Source.objects.filter(published_on__isnull=False))
    listed = client.get(f"/api/positions/{ended.pk}/").json()
    assert listed["as_of"] == "" and listed["end"] == "2019-01-01"


def test_a_position_with_a_start_and_no_end_is_not_said_to_last_until_now(client):
    position = Position.objects.get(person__slug="wang-xiangyi")
    position.start_date = datetime.date(2018, 1, 1)
    position.start_precision = "year"
    position.save()
    page = client.get("/en/people/wang-xiangyi/").content.decode()
    assert '<time datetime="2018">2018</time> \u2013 as of <time datetime="2021-04">' in page
    assert "2018</time> \u2013 now" not in page
