"""Dates in the admin: typed as people write them (2010, 2010-07, 2010-07-09), the precision
following what is typed, and checked against today and against each other."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from directory.models import DatePrecision, Organization, Source
from events.models import Session, Talk
from networks.models import Membership
from tests.helpers import assert_status
from tests.website.test_admin import admin_url, membership_inline, organization_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored", "precision"),
    [
        ("2010", datetime.date(2010, 1, 1), DatePrecision.YEAR),
        ("2010-07", datetime.date(2010, 7, 1), DatePrecision.MONTH),
        ("2010-7", datetime.date(2010, 7, 1), DatePrecision.MONTH),
        (" 2010-07-09 ", datetime.date(2010, 7, 9), DatePrecision.DAY),
    ],
)
def test_a_founding_date_is_typed_as_people_write_it(superuser_client, typed, stored, precision):
    response = superuser_client.post(
        admin_url(Organization, "add"),
        organization_form(name_en="Partly Dated Society", founded_on=typed),
    )
    assert_status(response, 302)
    society = Organization.objects.get(name_en="Partly Dated Society")
    assert (society.founded_on, society.founded_precision) == (stored, precision)
    # The change page shows it as it was typed, to its precision.
    page = superuser_client.get(admin_url(Organization, "change", society.pk)).text
    assert f'name="founded_on" value="{typed.strip().replace("-7", "-07")}"' in page
    assert 'type="hidden" name="founded_precision"' in page


@pytest.mark.parametrize("typed", ["July 2010", "2010-13", "2010-02-30", "10-07", "2010/07"])
def test_a_date_that_is_not_one_is_a_form_error(superuser_client, typed):
    response = superuser_client.post(
        admin_url(Organization, "add"),
        organization_form(name_en="Badly Dated Society", founded_on=typed),
    )
    assert_status(response, 200)
    assert "Write the date as 2010, 2010-07 or 2010-07-09." in response.text
    assert not Organization.objects.filter(name_en="Badly Dated Society").exists()


def test_a_founding_in_the_future_is_refused_in_both_languages(superuser_client):
    data = organization_form(name_en="Future Society", founded_on="2031-05-01")
    response = superuser_client.post(admin_url(Organization, "add"), data)
    assert_status(response, 200)
    assert "A founding date cannot be in the future." in response.text
    response = superuser_client.post(
        admin_url(Organization, "add"), data, headers={"Accept-Language": "zh-hans"}
    )
    assert "成立日期不能晚于今天。" in response.text
    assert not Organization.objects.filter(name_en="Future Society").exists()


def test_a_membership_before_the_founding_or_in_the_future_is_refused(superuser_client):
    ngo = Organization.objects.create(
        name_en="Young Society",
        kind="ngo",
        country="CN",
        founded_on=datetime.date(2012, 1, 1),
        founded_precision=DatePrecision.YEAR,
    )
    ngo.sources.set(Source.objects.all())
    network = Membership.objects.first().network
    url = admin_url(Organization, "change", ngo.pk)
    before = membership_inline(ngo, [{"network": network.pk, "start_date": "2010-07"}])
    before["founded_on"] = "2012"
    response = superuser_client.post(url, before)
    assert_status(response, 200)
    assert "Young Society was founded in 2012, after this date." in response.text
    future = membership_inline(ngo, [{"network": network.pk, "start_date": "2029"}])
    future["founded_on"] = "2012"
    response = superuser_client.post(url, future)
    assert "This date is in the future: record what has happened." in response.text
    assert not ngo.memberships.exists()
    # The same year as the founding, to a month: it may be after it.
    same_year = membership_inline(ngo, [{"network": network.pk, "start_date": "2012-07"}])
    same_year["founded_on"] = "2012"
    assert_status(superuser_client.post(url, same_year), 302)
    membership = ngo.memberships.get()
    assert (membership.start_date, membership.start_precision) == (
        datetime.date(2012, 7, 1),
        DatePrecision.MONTH,
    )


def test_a_membership_after_the_organization_was_succeeded_is_refused():
    successor = Organization.objects.create(name_en="Merged Society", kind="ngo")
    ngo = Organization.objects.create(
        name_en="Old Society",
        kind="ngo",
        successor=successor,
        succeeded_on=datetime.date(2015, 6, 1),
    )
    network = Membership.objects.first().network
    late = Membership(organization=ngo, network=network, role="member")
    late.start_date, late.start_precision = datetime.date(2016, 1, 1), DatePrecision.YEAR
    with pytest.raises(ValidationError) as refused:
        late.full_clean()
    assert refused.value.message_dict["start_date"] == [
        "Old Society was succeeded by another organization on 2015-06-01, before this date."
    ]
    # The year of the succession, to a year: it may have been before it.
    late.start_date = datetime.date(2015, 1, 1)
    late.full_clean()


def test_a_talk_for_an_organization_not_yet_founded_is_refused_in_both_languages():
    talk = Talk.objects.filter(speaker_organization__isnull=False).first()
    organization = talk.speaker_organization
    event_year = talk.session.event.start_date.year
    organization.founded_on, organization.founded_precision = (
        datetime.date(event_year + 1, 1, 1),
        DatePrecision.YEAR,
    )
    with pytest.raises(ValidationError) as refused:
        talk.full_clean()
    assert refused.value.message_dict["speaker_organization"] == [
        f"{organization} was founded in {event_year + 1}, after this date."
    ]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        talk.full_clean()
    assert "成立于" in refused.value.message_dict["speaker_organization"][0]


def test_a_session_outside_its_one_day_events_hours_is_refused():
    session = Session.objects.filter(
        event__start_time__isnull=False, event__end_time__isnull=False, event__end_date=None
    ).first()
    event = session.event
    assert event.end_time < datetime.time(23, 30)
    session.start_time = datetime.time(23, 30)
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    assert refused.value.message_dict["start_time"] == [
        f"The event runs from {event.start_time:%H:%M} to {event.end_time:%H:%M}."
    ]
    session.start_time = event.start_time
    session.full_clean()
