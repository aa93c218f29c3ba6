"""The fixtures hold the facts the two source articles state, each citing its source."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from directory.models import Organization, Person, Position, Source
from directory.models.base import Citations, Cited
from events.models import Event, Participation, Talk
from networks.models import Membership, Network, Program
from tests.helpers import shared_path

pytestmark = pytest.mark.django_db

CDB = "cdb-2021-international-networks"
CSW = "csw-2025-international-volunteering"
MEETING = "2021-china-philanthropy-going-global-exchange-meeting"
FIXTURE_DIR = Path(__file__).resolve().parents[2] / "fixtures"
# The seed articles (../shared/seeds) the sources are.
SEEDS = {CDB: "000_a355de327d837751.txt", CSW: "004_0e4211b785ff5086.txt"}


def cited_models():
    return [model for model in apps.get_models() if issubclass(model, Cited)]


def test_every_cited_record_names_at_least_one_source():
    for model in cited_models():
        uncited = model.objects.filter(sources__isnull=True)
        assert not uncited.exists(), f"{model.__name__} without a source: {list(uncited)}"


def test_each_kind_of_record_is_present():
    for model in cited_models():
        assert model.objects.exists(), f"no {model.__name__} in the fixtures"


def test_sources_name_their_publishers():
    cdb_article = Source.objects.get(slug=CDB)
    assert cdb_article.publisher.name_en == "China Development Brief"
    assert cdb_article.published_on == datetime.date(2021, 4, 12)
    essay = Source.objects.get(slug=CSW)
    # The essay has no byline; its editor's note presents it as 董天美's view.
    assert essay.author == ""
    assert "董天美" in essay.note
    assert essay.published_on == datetime.date(2025, 3, 6)


def test_cyva_holds_special_consultative_status_since_july_2010():
    membership = Membership.objects.get(
        organization__slug="cyva", network__slug="un-ecosoc-consultative-status"
    )
    assert membership.role == Membership.Role.CONSULTATIVE_STATUS
    assert membership.level == Membership.Level.SPECIAL
    assert membership.start == "2010-07"
    assert list(membership.sources.values_list("slug", flat=True)) == [CSW]


@pytest.mark.parametrize("slug", ["amity-foundation", "bclarc"])
def test_ecosoc_status_without_a_stated_level_is_stored_as_unknown(slug):
    membership = Membership.objects.get(
        organization__slug=slug, network__slug="un-ecosoc-consultative-status"
    )
    assert membership.level == Membership.Level.UNKNOWN
    assert membership.start_date is None


def test_the_2021_meeting_has_its_date_time_venue_and_organizers():
    meeting = Event.objects.get(slug=MEETING)
    assert meeting.start_date == datetime.date(2021, 4, 9)
    assert (meeting.start_time, meeting.end_time) == (datetime.time(9), datetime.time(17))
    assert meeting.venue_zh == "北京新世界酒店"
    assert meeting.city.slug == "beijing"
    organizers = Participation.objects.filter(event=meeting, role="organizer")
    assert {p.organization.name_zh for p in organizers} == {
        "发展简报",
        "北京益行公益信息交流服务中心",
    }


def test_the_2021_meeting_agenda_has_sessions_in_order():
    meeting = Event.objects.get(slug=MEETING)
    assert list(meeting.sessions.values_list("kind", flat=True)) == [
        "opening",
        "keynote",
        "thematic",
        "roundtable",
        "free_exchange",
    ]


def test_the_2021_meeting_speakers_in_order_with_their_organizations():
    talks = Talk.objects.filter(session__event__slug=MEETING).order_by("session__order", "order")
    spoken = [
        (t.speaker.name_zh, t.role, t.speaker_organization and t.speaker_organization.slug)
        for t in talks
    ]
    assert spoken == [
        ("张耿瑞", "speaker", "china-development-brief"),
        ("程恩江", "speaker", "ford-foundation"),
        ("钱霄峰", "speaker", "amity-foundation"),
        ("胡新宇", "speaker", "beijing-cultural-heritage-protection-center"),
        ("牛帅帅", "speaker", "zhicheng-public-interest"),
        ("王香奕", "speaker", "cango"),
        ("肖青", "speaker", "cbcgdf"),
        ("徐莹", "moderator", None),
        ("王香奕", "panelist", "cango"),
        ("钱霄峰", "panelist", "amity-foundation"),
        ("游斐", "panelist", "bnu-international-ngo-foundation-research-center"),
    ]


def test_the_roundtable_moderator_is_xu_ying():
    moderator = Talk.objects.get(session__event__slug=MEETING, role=Talk.Role.MODERATOR)
    assert moderator.speaker.name_en == "Xu Ying"
    assert moderator.session.kind == "roundtable"


def test_hu_xinyu_spoke_remotely_and_only_he_did():
    remote = Talk.objects.filter(session__event__slug=MEETING, remote=True)
    assert [talk.speaker.name_zh for talk in remote] == ["胡新宇"]
    assert remote[0].title_zh == "非遗圈的国际网络"


def test_the_spam_string_is_replaced_by_the_real_publisher_and_chair():
    position = Position.objects.get(person__slug="zhang-gengrui")
    assert position.organization.name_en == "China Development Brief"
    assert position.title_zh == "理事长"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("民促会", "cango"),
        ("北师大", "beijing-normal-university"),
        ("BCLARC", "bclarc"),
        ("惠泽人", "beijing-huizeren"),
        ("UNV", "unv"),
        ("爱德", "amity-foundation"),
    ],
)
def test_abbreviations_lead_to_their_organizations(name, slug):
    assert Organization.objects.get(other_names__name=name).slug == slug


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        ("bnu-international-ngo-foundation-research-center", "beijing-normal-university"),
        ("ruc-school-of-international-studies", "renmin-university-of-china"),
        # The article does not say that BCLARC is part of 致诚公益.
        ("bclarc", None),
    ],
)
def test_units_belong_to_their_parent_organizations(child, parent):
    organization = Organization.objects.get(slug=child)
    assert (organization.parent and organization.parent.slug) == parent


def test_no_fact_the_articles_do_not_state():
    """The articles give no web address, no city but Beijing and Changsha (Beijing only in
    names and for the 2021 meeting) and none of these names."""
    assert not Organization.objects.exclude(website="").exists()
    assert not Source.objects.exclude(web_address="").exists()
    assert set(Organization.objects.exclude(city=None).values_list("city__slug", flat=True)) == {
        "beijing"
    }
    assert all(
        "北京" in name
        for name in Organization.objects.exclude(city=None).values_list("name_zh", flat=True)
    )
    unstated = ["CANGO", "CBCGDF", "绿发会", "ECOSOC", "IRRI", "CNIE", "CYVA", "CFRD", "MOFCOM"]
    assert not Organization.objects.filter(other_names__name__in=unstated).exists()


def test_everyone_the_issue_names_is_a_person():
    names = {
        "张耿瑞",
        "程恩江",
        "钱霄峰",
        "胡新宇",
        "牛帅帅",
        "王香奕",
        "肖青",
        "徐莹",
        "游斐",
        "董天美",
    }
    assert set(Person.objects.values_list("name_zh", flat=True)) == names


def test_the_volunteer_committee_was_founded_by_cvsf_and_cnie_in_april_2022():
    committee = Network.objects.get(slug="china-international-volunteer-service-committee")
    assert committee.founded == "2022-04"
    founders = committee.memberships.filter(role="founder")
    assert {m.organization.slug for m in founders} == {"china-volunteer-service-federation", "cnie"}


def test_vso_partner_network_has_four_strategic_partners():
    partners = Membership.objects.filter(network__slug="vso-china-partners", role="partner")
    assert {m.organization.name_zh for m in partners} == {
        "中国青年志愿者协会",
        "中华志愿者协会",
        "北京市志愿服务联合会",
        "北京惠泽人公益发展中心",
    }


def test_serving_un_agencies_runs_every_year_since_2022_with_unv_and_cyva():
    program = Program.objects.get(slug="serving-un-agencies")
    assert (program.start, program.frequency) == ("2022", "annual")
    assert program.parent.slug == "china-youth-volunteers-overseas-service-program"
    assert {r.organization.slug for r in program.roles.all()} == {"unv", "cyva"}


def test_silk_road_program_was_launched_at_the_changsha_forum():
    program = Program.objects.get(slug="silk-road-hearts-connected")
    assert program.start_date == datetime.date(2024, 7, 26)
    assert program.launch_event.city.name_en == "Changsha"
    assert program.launch_event.start_date == datetime.date(2024, 7, 26)


def test_vso_funds_the_western_capacity_building_program():
    program = Program.objects.get(slug="western-volunteer-service-capacity-building")
    assert program.roles.get(role="funder").organization.slug == "vso"
    assert program.roles.filter(role="partner").count() == 4


def test_countries_are_iso_codes():
    program = Program.objects.get(slug="charitable-volunteering-in-neighbouring-countries")
    assert {country.code for country in program.countries} == {
        "MN",
        "MM",
        "KP",
        "KH",
        "BD",
        "VN",
        "PK",
    }
    forum = Event.objects.get(slug="2024-china-africa-peoples-forum-volunteer-service-forum")
    assert forum.country.code == "CN"
    assert {
        country.code for country in Program.objects.get(slug="ford-support-for-irri").countries
    } == {"PH"}


def snapshot():
    """Every row of every directory model, serialized without ids."""
    models = [
        m for m in apps.get_models() if m._meta.app_label in {"directory", "networks", "events"}
    ]
    return {
        model.__name__: sorted(
            serializers.serialize(
                "json", [obj], use_natural_foreign_keys=True, use_natural_primary_keys=True
            )
            for obj in model.objects.all()
        )
        for model in models
    }


def test_loading_the_fixtures_twice_changes_nothing():
    before = snapshot()
    call_command("load_fixtures", verbosity=0)
    assert snapshot() == before


def test_loading_if_empty_leaves_an_edited_directory_alone():
    Organization.objects.filter(slug="cango").update(description_en="Edited by an editor.")
    call_command("load_fixtures", if_empty=True, verbosity=0)
    assert Organization.objects.get(slug="cango").description_en == "Edited by an editor."


def test_fixture_files_store_chinese_as_text_not_escapes():
    for path in FIXTURE_DIR.glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert "\\u" not in text, f"{path.name} escapes characters"
    assert "民促会" in (FIXTURE_DIR / "organizations.json").read_text(encoding="utf-8")


def fixture_citations():
    """(record, citation) for every citation the fixtures hold."""
    return [
        (record, citation)
        for model in apps.get_models()
        if issubclass(model, Citations)
        for record in model.objects.all()
        for citation in record.citations
    ]


def test_every_citation_quotes_its_article_word_for_word_where_it_says():
    """A passage cited is in its article, in the paragraph named (¶N: the N-th line that is
    not empty, as the audit of the fixtures counts them), and the record's fields and
    sources exist."""
    cited = fixture_citations()
    assert len(cited) >= 8
    for record, citation in cited:
        record.full_clean()
        article = shared_path("seeds", SEEDS[citation["source"]]).read_text(encoding="utf-8")
        paragraphs = [line for line in article.splitlines() if line.strip()]
        number = int(citation["location"].removeprefix("¶"))
        assert citation["passage"] in paragraphs[number - 1], (record, citation)
        # Another name rests on its organization's sources.
        cited_by = record if isinstance(record, Cited) else record.organization
        assert citation["source"] in {source.slug for source in cited_by.sources.all()}


def test_a_reader_sees_which_article_says_cyva_holds_special_status_since_2010_07(client):
    page = client.get("/en/organizations/cyva/").content.decode()
    memberships = page[page.index('id="memberships"') :]
    status_row = memberships[memberships.index("UN ECOSOC consultative status") :]
    status_row = status_row[: status_row.index("</tr>")]
    assert '2010-07<sup class="note"><a href="#note-' in status_row
    notes = page[page.index('id="notes-heading"') :]
    assert "¶13: <q>2010年7月,中国青年志愿者协会被联合国经社理事会授予特别咨商地位</q>" in notes


def uncited_facts():
    return [
        (model.__name__, str(record), facts)
        for model in apps.get_models()
        if issubclass(model, Citations)
        for record in model.objects.all()
        if (facts := record.uncited_facts())
    ]


def test_every_fact_of_the_fixtures_cites_the_passage_that_states_it():
    """The bar: each record ("" is the record itself) and each stated field with a value
    cites a passage of an article; a fact no article states is not in the fixtures."""
    assert uncited_facts() == []
    for _record, citation in fixture_citations():
        assert citation["passage"] and citation["location"], citation


DATE_FIELDS = {"start_date", "end_date", "founded_on", "succeeded_on"}


def test_a_cited_date_names_its_year_and_a_cited_organization_one_of_its_names():
    """A check that the passage is about the fact cited, not only somewhere in the article:
    a date's year is in its passage, and an organization's passage names it."""
    for record, citation in fixture_citations():
        if citation["field"] in DATE_FIELDS:
            year = str(getattr(record, citation["field"]).year)
            assert year in citation["passage"], (record, citation)
        if isinstance(record, Organization) and citation["field"] == "":
            names = {record.name_zh, *record.other_names.values_list("name", flat=True)}
            assert any(name in citation["passage"] for name in names), (record, citation)
        if isinstance(record, Person) and citation["field"] == "":
            assert record.name_zh in citation["passage"], (record, citation)


@pytest.mark.parametrize("slug", ["cyva", "beijing-volunteer-service-federation"])
def test_both_send_volunteers_through_undp_and_unv_as_the_essay_says(slug):
    """「如中国青年志愿者协会和北京志愿服务联合会,依托UNDP和UNV派遣国际青年志愿者」 (¶13) is
    a tie to each of UNDP and UNV, not only prose."""
    run_by = Membership.objects.filter(organization__slug=slug).values_list(
        "network__secretariat__slug", flat=True
    )
    assert {"undp", "unv"} <= set(run_by)


def test_the_2024_plenum_is_a_dated_event_of_the_central_committee():
    plenum = Event.objects.get(name_zh="党的二十届三中全会")
    assert (plenum.start, plenum.kind) == ("2024-07", "meeting")
    assert "推动志愿服务体系建设" in plenum.description_zh
    organizer = plenum.participations.get(role="organizer").organization
    assert organizer.name_zh == "中共中央"
