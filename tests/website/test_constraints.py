"""Absolute rules are database constraints: each is rejected by validation with a message a
person understands, and by the database itself when validation is bypassed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from directory.models import (
    City,
    FieldOfWork,
    Identifier,
    Organization,
    OrganizationName,
    Person,
    Position,
    Source,
)
from events.models import Event, Participation, Session, Talk
from networks.models import Membership, Network, Program, ProgramRole

pytestmark = pytest.mark.django_db

JULY_2010 = datetime.date(2010, 7, 1)


def assert_rejected(instance, message, *, by_database=True):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    assert any(message in text for text in raised.value.messages), raised.value.messages
    if by_database:
        with pytest.raises(IntegrityError), transaction.atomic():
            instance.save()


def org(slug):
    return Organization.objects.get(slug=slug)


def network(slug="un-ecosoc-consultative-status"):
    return Network.objects.get(slug=slug)


def test_organization_without_any_name_is_rejected():
    assert_rejected(Organization(kind="ngo"), "Give a name in Chinese, in English, or both.")


def test_person_without_any_name_is_rejected():
    assert_rejected(Person(), "Give a name in Chinese, in English, or both.")


def test_duplicate_chinese_organization_name_is_rejected():
    assert_rejected(
        Organization(name_zh="爱德基金会", kind="foundation"),
        "Another organization already has this Chinese name.",
    )


def test_duplicate_english_organization_name_is_rejected_whatever_its_case():
    assert_rejected(
        Organization(name_en="amity FOUNDATION", kind="foundation"),
        "Another organization already has this English name.",
    )


def test_organizations_with_only_one_language_may_coexist():
    Organization.objects.create(name_zh="甲机构", kind="ngo")
    Organization.objects.create(name_zh="乙机构", kind="ngo")
    assert Organization.objects.filter(name_en="", name_zh__endswith="机构").count() == 2


def test_organization_cannot_be_its_own_parent():
    cango = org("cango")
    cango.parent = cango
    assert_rejected(cango, "An organization cannot be its own parent.")


def test_organization_cannot_become_a_unit_of_its_own_unit():
    university = org("beijing-normal-university")
    university.parent = org("bnu-international-ngo-foundation-research-center")
    assert_rejected(
        university, "This would make the organization a unit of itself.", by_database=False
    )


def test_city_must_be_in_the_organizations_country():
    ford = org("ford-foundation")
    ford.city = City.objects.get(slug="beijing")
    assert_rejected(ford, "is not in this country", by_database=False)


def test_other_name_is_unique_per_organization():
    assert_rejected(
        OrganizationName(
            organization=org("cango"), name="民促会", language="zh", kind="abbreviation"
        ),
        "This organization already has this name.",
    )


def test_other_name_cannot_repeat_the_main_name():
    assert_rejected(
        OrganizationName(
            organization=org("cango"),
            name="中国民促会",
            language="zh",
            kind="alias",
        ),
        "This is already the organization's main name.",
        by_database=False,
    )


def test_identifier_belongs_to_one_organization_only():
    Identifier.objects.create(organization=org("cango"), scheme="wikidata", value="Q1000001")
    assert_rejected(
        Identifier(organization=org("cbcgdf"), scheme="wikidata", value="Q1000001"),
        "Another organization already has this identifier.",
    )


def test_one_identifier_per_scheme_per_organization():
    Identifier.objects.create(organization=org("cango"), scheme="wikidata", value="Q1000001")
    assert_rejected(
        Identifier(organization=org("cango"), scheme="wikidata", value="Q1000002"),
        "This organization already has an identifier in this scheme.",
    )


@pytest.mark.parametrize(
    ("scheme", "value", "message"),
    [
        ("wikidata", "42", "A Wikidata item looks like Q42."),
        ("ecosoc", "abc", "An ECOSOC profile code is a number."),
        ("uscc", "91350100M000100Y42", "valid check digit"),
        ("uscc", "123", "18 characters"),
    ],
)
def test_malformed_identifiers_are_rejected(scheme, value, message):
    identifier = Identifier(organization=org("cango"), scheme=scheme, value=value)
    assert_rejected(identifier, message, by_database=False)


def test_valid_identifiers_are_normalized_and_linked():
    wikidata = Identifier(organization=org("cango"), scheme="wikidata", value=" q42 ")
    wikidata.full_clean()
    assert wikidata.value == "Q42"
    assert wikidata.url == "https://www.wikidata.org/wiki/Q42"
    uscc = Identifier(organization=org("cbcgdf"), scheme="uscc", value="91350100M000100Y43")
    uscc.full_clean()


def test_membership_ending_before_it_starts_is_rejected():
    membership = Membership(
        organization=org("cango"),
        network=network(),
        role="member",
        start_date=JULY_2010,
        end_date=datetime.date(2009, 1, 1),
    )
    assert_rejected(membership, "The end date cannot be before the start date.")


def test_position_ending_before_it_starts_is_rejected():
    position = Position(
        person=Person.objects.get(slug="xu-ying"),
        organization=org("cango"),
        start_date=JULY_2010,
        end_date=datetime.date(2010, 6, 30),
    )
    assert_rejected(position, "The end date cannot be before the start date.")


def test_program_ending_before_it_starts_is_rejected():
    program = Program(
        name_en="A program",
        kind="training",
        start_date=JULY_2010,
        end_date=datetime.date(2001, 1, 1),
    )
    assert_rejected(program, "The end date cannot be before the start date.")


def test_event_ending_before_it_starts_is_rejected():
    event = Event(
        name_en="An event", kind="meeting", start_date=JULY_2010, end_date=datetime.date(2010, 6, 1)
    )
    assert_rejected(event, "The end date cannot be before the start date.")


def test_one_day_event_ending_before_its_start_time_is_rejected():
    event = Event(
        name_en="An event",
        kind="meeting",
        start_date=JULY_2010,
        start_time=datetime.time(17),
        end_time=datetime.time(9),
    )
    assert_rejected(event, "The event cannot end before it starts.")


def test_event_over_two_days_may_end_at_an_earlier_hour():
    event = Event(
        name_en="A two-day event",
        kind="meeting",
        start_date=JULY_2010,
        end_date=datetime.date(2010, 7, 2),
        start_time=datetime.time(17),
        end_time=datetime.time(9),
    )
    event.full_clean()


def test_consultative_status_needs_a_level():
    membership = Membership(
        organization=org("cango"), network=network(), role="consultative_status", level=""
    )
    assert_rejected(membership, "Consultative status needs a level")


def test_other_roles_have_no_level():
    membership = Membership(
        organization=org("cango"), network=network(), role="member", level="special"
    )
    assert_rejected(membership, "Consultative status needs a level")


def test_same_dated_membership_twice_is_rejected():
    membership = Membership(
        organization=org("cyva"),
        network=network(),
        role="consultative_status",
        level="general",
        start_date=JULY_2010,
        start_precision="month",
    )
    assert_rejected(membership, "already has this role in this network from this date")


def test_same_undated_membership_twice_is_rejected():
    membership = Membership(
        organization=org("amity-foundation"),
        network=network(),
        role="consultative_status",
        level="special",
    )
    assert_rejected(membership, "This organization already has this role in this network.")


def test_same_undated_position_twice_is_rejected():
    position = Position(
        person=Person.objects.get(slug="wang-xiangyi"),
        organization=org("cango"),
        title_zh="秘书长",
        title_en="Secretary-General",
    )
    assert_rejected(position, "This person already holds this position.")


def test_two_sessions_cannot_share_a_place_in_the_order():
    meeting = Event.objects.get(slug="2021-china-philanthropy-going-global-exchange-meeting")
    assert_rejected(
        Session(event=meeting, order=1, kind="closing"),
        "Another session of this event has this place in the order.",
    )


def test_two_talks_cannot_share_a_place_in_a_session():
    session = Session.objects.get(event__slug__startswith="2021-", order=1)
    assert_rejected(
        Talk(session=session, order=1, speaker=Person.objects.get(slug="xu-ying")),
        "Another talk in this session has this place in the order.",
    )


def test_session_ending_before_it_starts_is_rejected():
    meeting = Event.objects.get(slug__startswith="2021-")
    session = Session(
        event=meeting,
        order=9,
        kind="closing",
        start_time=datetime.time(12),
        end_time=datetime.time(11),
    )
    assert_rejected(session, "The session cannot end before it starts.")


def test_organization_has_a_role_at_an_event_once():
    participation = Participation(
        event=Event.objects.get(slug__startswith="2021-"),
        organization=org("cango"),
        role="participant",
    )
    assert_rejected(participation, "This organization already has this role at this event.")


def test_organization_has_a_role_in_a_program_once():
    role = ProgramRole(
        program=Program.objects.get(slug="serving-un-agencies"),
        organization=org("cyva"),
        role="operator",
    )
    assert_rejected(role, "This organization already has this role in this program.")


def test_two_sources_cannot_share_an_address():
    # The fixtures' sources give no address (the articles state none), so the test makes one.
    address = "https://example.org/articles/1446"
    Source.objects.create(slug="original", title="An original", web_address=address)
    source = Source(slug="copy", title="A copy", web_address=address)
    assert_rejected(source, "Another source already has this address.")


def test_deleting_an_organization_with_memberships_is_refused():
    with pytest.raises(ProtectedError):
        org("cyva").delete()
    assert Organization.objects.filter(slug="cyva").exists()


def test_deleting_a_person_who_spoke_is_refused():
    with pytest.raises(ProtectedError):
        Person.objects.get(slug="xu-ying").delete()


def test_deleting_a_cited_source_is_refused_and_citations_survive():
    source = Source.objects.get(slug="cdb-2021-international-networks")
    cited = source.cited_by_organization.count()
    with pytest.raises(ProtectedError, match="other records still refer to it"):
        source.delete()
    with pytest.raises(ProtectedError):
        Source.objects.filter(pk=source.pk).delete()
    assert source.cited_by_organization.count() == cited > 0


def test_deleting_a_field_of_work_in_use_is_refused():
    with pytest.raises(ProtectedError):
        FieldOfWork.objects.get(slug="volunteering").delete()


def test_an_unused_source_can_be_deleted():
    Source.objects.create(slug="unused", title="Unused")
    Source.objects.get(slug="unused").delete()
    assert not Source.objects.filter(slug="unused").exists()


def test_deleting_an_organization_takes_its_own_names_and_identifiers_with_it():
    lonely = Organization.objects.create(name_en="Lonely Org", kind="ngo")
    OrganizationName.objects.create(
        organization=lonely, name="LO", language="en", kind="abbreviation"
    )
    lonely.delete()
    assert not OrganizationName.objects.filter(name="LO").exists()
