"""Behaviour shared by the records: slugs, language fallback, partial dates, natural keys."""

import datetime

import pytest
from django.utils import translation

from directory.models import Organization, Person, Source
from directory.models.base import format_partial_date, truncate_to_precision
from events.models import Event, Talk
from networks.models import Membership

pytestmark = pytest.mark.django_db


def test_slug_comes_from_the_english_name():
    organization = Organization.objects.create(name_en="Green Hands Alliance", kind="ngo")
    assert organization.slug == "green-hands-alliance"


def test_slug_comes_from_pinyin_when_there_is_no_english_name():
    organization = Organization.objects.create(name_zh="绿色之手联盟", kind="ngo")
    assert organization.slug == "lv-se-zhi-shou-lian-meng"


def test_slugs_stay_unique():
    first = Person.objects.create(name_zh="王芳")
    second = Person.objects.create(name_zh="王芳")
    assert (first.slug, second.slug) == ("wang-fang", "wang-fang-2")


def test_event_slugs_start_with_the_year():
    event = Event.objects.create(
        name_en="Annual Forum", kind="forum", start_date=datetime.date(2030, 5, 1)
    )
    assert event.slug == "2030-annual-forum"


def test_names_follow_the_language_and_fall_back_to_the_other():
    cango = Organization.objects.get(slug="cango")
    only_chinese = Organization.objects.create(name_zh="只有中文名", kind="ngo")
    with translation.override("en"):
        assert cango.name == "China Association for NGO Cooperation"
        assert only_chinese.name == "只有中文名"
    with translation.override("zh-hans"):
        assert cango.name == "中国民促会"
        assert str(cango) == "中国民促会"


def test_talk_titles_follow_the_language():
    talk = Talk.objects.get(speaker__slug="hu-xinyu")
    with translation.override("en"):
        assert talk.title.startswith("International networks")
        assert talk.speaker_title == "Board Member"


@pytest.mark.parametrize(
    ("precision", "stored", "shown"),
    [
        ("year", datetime.date(2010, 1, 1), "2010"),
        ("month", datetime.date(2010, 7, 1), "2010-07"),
        ("day", datetime.date(2010, 7, 15), "2010-07-15"),
    ],
)
def test_partial_dates_are_stored_as_the_first_day_and_shown_to_their_precision(
    precision, stored, shown
):
    assert truncate_to_precision(datetime.date(2010, 7, 15), precision) == stored
    assert format_partial_date(stored, precision) == shown


def test_cleaning_a_membership_truncates_its_dates_to_their_precision():
    membership = Membership(
        organization=Organization.objects.get(slug="cango"),
        network=Membership.objects.first().network,
        role="member",
        start_date=datetime.date(2015, 9, 23),
        start_precision="year",
    )
    membership.full_clean()
    assert membership.start_date == datetime.date(2015, 1, 1)
    assert membership.start == "2015"


def test_natural_keys_round_trip_through_foreign_keys():
    talk = Talk.objects.get(speaker__slug="you-fei")
    key = talk.natural_key()
    assert key == ("2021-china-philanthropy-going-global-exchange-meeting", 4, 4)
    assert Talk.objects.get_by_natural_key(*key) == talk


def test_natural_keys_handle_missing_dates():
    membership = Membership.objects.get(organization__slug="amity-foundation")
    key = membership.natural_key()
    assert key[-1] is None
    assert Membership.objects.get_by_natural_key(*key) == membership


def test_source_natural_key_is_its_slug():
    source = Source.objects.get_by_natural_key("cdb-2021-international-networks")
    assert source.natural_key() == ("cdb-2021-international-networks",)
