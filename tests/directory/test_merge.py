"""Two records of one organization become one: everything that referred to either refers to
the one kept, a record both had is kept once with the sources of both, and a merge that would
lose a fact is refused without changing anything."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from directory.merging import MergeRefused, merge_organizations
from directory.models import (
    City,
    FieldOfWork,
    FormerSlug,
    Identifier,
    Organization,
    OrganizationName,
    Person,
    Position,
    Source,
)
from events.models import Event, Participation, Session, Talk
from networks.models import (
    CommitteeSession,
    Decision,
    Membership,
    Network,
    PossibleDuplicate,
    Program,
    ProgramRole,
    Vote,
)
from tests.factories import cited
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

DAY = datetime.date(2011, 7, 26)
ECOSOC = "un-ecosoc-consultative-status"


def make_source(slug):
    return Source.objects.create(slug=slug, title=slug)


def consultative_status(organization, *sources, **values):
    return cited(
        Membership.objects.create(
            organization=organization,
            network=Network.objects.get(slug=ECOSOC),
            role="consultative_status",
            level="special",
            start_date=DAY,
            **values,
        ),
        *sources,
    )


@pytest.fixture
def pair():
    """A kept organization and a duplicate that every relation to organizations refers to,
    with a membership and an other name that the kept one has as well."""
    kept_source, duplicate_source = make_source("kept-says"), make_source("duplicate-says")
    kept = cited(Organization.objects.create(name_en="Merge Kept", kind="ngo"), kept_source)
    Identifier.objects.create(organization=kept, scheme="wikidata", value="Q777001")
    OrganizationName.objects.create(
        organization=kept, name="MK", language="en", kind="abbreviation"
    )
    kept_status = consultative_status(kept, kept_source)

    duplicate = cited(
        Organization.objects.create(
            name_en="Merge Duplicate",
            name_zh="合并重复",
            kind="foundation",
            description_en="Found twice.",
            website="https://duplicate.example.org",
            founded_on=datetime.date(2005, 1, 1),
            founded_precision="year",
            city=City.objects.get(slug="beijing"),
            country="CN",
        ),
        duplicate_source,
    )
    duplicate.fields.add(FieldOfWork.objects.get(slug="volunteering"))
    session = Session.objects.first()
    made = SimpleNamespace(
        kept=kept,
        duplicate=duplicate,
        kept_source=kept_source,
        duplicate_source=duplicate_source,
        kept_status=kept_status,
        twin_status=consultative_status(
            duplicate, duplicate_source, notes="Listed in the 2011 decision."
        ),
        twin_name=OrganizationName.objects.create(
            organization=duplicate, name="MK", language="en", kind="abbreviation"
        ),
        other_name=OrganizationName.objects.create(
            organization=duplicate, name="MD", language="en", kind="abbreviation"
        ),
        identifier=Identifier.objects.create(
            organization=duplicate, scheme="ecosoc", value="777002"
        ),
        membership=cited(
            Membership.objects.create(
                organization=duplicate,
                network=Network.objects.get(slug="vso-china-partners"),
                role="member",
            ),
            duplicate_source,
        ),
        position=cited(
            Position.objects.create(
                person=Person.objects.first(), organization=duplicate, title_en="Director"
            ),
            duplicate_source,
        ),
        program_role=cited(
            ProgramRole.objects.create(
                program=Program.objects.first(), organization=duplicate, role="partner"
            ),
            duplicate_source,
        ),
        participation=cited(
            Participation.objects.create(
                event=Event.objects.first(), organization=duplicate, role="participant"
            ),
            duplicate_source,
        ),
        talk=cited(
            Talk.objects.create(
                session=session,
                order=99,
                speaker=Person.objects.first(),
                speaker_organization=duplicate,
            ),
            duplicate_source,
        ),
        unit=Organization.objects.create(
            name_en="Merge Unit", kind="research_centre", parent=duplicate
        ),
        predecessor=Organization.objects.create(
            name_en="Merge Predecessor", kind="ngo", successor=duplicate
        ),
        published=Source.objects.create(
            slug="published-by-duplicate", title="By it", publisher=duplicate
        ),
        network=Network.objects.create(
            name_en="Merge Network", kind="platform", scope="national", secretariat=duplicate
        ),
        decision=Decision.objects.create(
            session=CommitteeSession.objects.create(date=datetime.date(2011, 6, 16)),
            organization=duplicate,
            kind="deferred",
            name="Merge Duplicate",
            file="7_applications_deferred.xlsx",
            row_number=2,
        ),
        vote=Vote.objects.create(
            session=CommitteeSession.objects.create(date=datetime.date(2012, 6, 8)),
            order=1,
            topic="Merge Duplicate",
            organization=duplicate,
            outcome="against",
        ),
        former_slug=FormerSlug.objects.create(
            slug="merge-duplicate-before", organization=duplicate
        ),
        review=PossibleDuplicate.objects.create(
            key="Grant|merge duplicates|2020-01-01",
            file="grants.csv",
            row_number=2,
            name="Merge Duplicates",
            organization=duplicate,
            row={
                "kind": "Grant",
                "file": "grants.csv",
                "row": 2,
                "name": "Merge Duplicates",
                "date": "2020-01-01",
            },
        ),
    )
    return made


def rows_referring_to(organization_id):
    """Every row, in every model related to organizations, that refers to the id."""
    found = {}
    for relation in Organization._meta.related_objects:
        rows = relation.related_model._base_manager.filter(
            **{relation.field.attname: organization_id}
        )
        if rows.exists():
            found[relation.name] = list(rows)
    return found


def all_ids():
    models = {relation.related_model for relation in Organization._meta.related_objects}
    return {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}


def test_the_pair_covers_every_relation_to_organizations(pair):
    """When a new relation to organizations appears, this fails: give the duplicate a record
    of it above, so that the tests below show that the merge moves it too."""
    assert set(rows_referring_to(pair.duplicate.pk)) == {
        relation.name for relation in Organization._meta.related_objects
    }


def test_merge_moves_every_related_record(pair):
    duplicate_id = pair.duplicate.pk
    before = all_ids()
    merge_organizations(pair.kept, [pair.duplicate])

    assert not Organization.objects.filter(pk=duplicate_id).exists()
    assert rows_referring_to(duplicate_id) == {}
    for record in [
        pair.other_name,
        pair.identifier,
        pair.membership,
        pair.position,
        pair.program_role,
        pair.participation,
        pair.decision,
        pair.vote,
    ]:
        record.refresh_from_db()
        assert record.organization == pair.kept, record
    for record, pointer in [
        (pair.talk, "speaker_organization"),
        (pair.unit, "parent"),
        (pair.predecessor, "successor"),
        (pair.published, "publisher"),
        (pair.network, "secretariat"),
    ]:
        record.refresh_from_db()
        assert getattr(record, pointer) == pair.kept, record

    # Nothing was deleted but the duplicate and the records folded into the kept one's twins.
    folded = {pair.twin_status.pk, pair.twin_name.pk}
    after = all_ids()
    for model, ids in before.items():
        lost = ids - after[model]
        assert lost == ({duplicate_id} if model is Organization else folded & lost), model


def test_twins_are_folded_with_the_sources_of_both(pair):
    merge_organizations(pair.kept, [pair.duplicate])
    status = Membership.objects.get(pk=pair.kept_status.pk)
    assert set(status.sources.all()) == {pair.kept_source, pair.duplicate_source}
    assert status.notes == "Listed in the 2011 decision."
    assert not Membership.objects.filter(pk=pair.twin_status.pk).exists()
    assert list(pair.kept.other_names.filter(name="MK").values_list("kind", flat=True)) == [
        "abbreviation"
    ]


def test_the_kept_organization_gains_names_facts_and_links(pair):
    merge_organizations(pair.kept, [pair.duplicate])
    kept = Organization.objects.get(pk=pair.kept.pk)
    # Its own facts stay; the duplicate's fill its blanks.
    assert (kept.name_en, kept.kind) == ("Merge Kept", "ngo")
    assert kept.name_zh == "合并重复"
    assert kept.description_en == "Found twice."
    assert (kept.website, kept.city.slug, kept.country.code) == (
        "https://duplicate.example.org",
        "beijing",
        "CN",
    )
    assert (kept.founded_on, kept.founded_precision) == (datetime.date(2005, 1, 1), "year")
    names = {(name.name, name.language, name.kind) for name in kept.other_names.all()}
    assert names == {
        ("MK", "en", "abbreviation"),
        ("MD", "en", "abbreviation"),
        ("Merge Duplicate", "en", "alias"),
    }
    assert set(kept.sources.all()) == {pair.kept_source, pair.duplicate_source}
    assert [field.slug for field in kept.fields.all()] == ["volunteering"]
    assert Organization.objects.search("Merge Duplicate").first() == kept


def snapshot():
    """Every value of every record of the models related to organizations, and the links."""
    models = {relation.related_model for relation in Organization._meta.related_objects}
    values = {model: list(model._base_manager.order_by("pk").values()) for model in models}
    for model in models:
        for link in model._meta.many_to_many:
            through = link.remote_field.through
            values[through] = list(through.objects.order_by("pk").values())
    return values


def test_an_identifier_conflict_refuses_and_changes_nothing(pair):
    Identifier.objects.create(organization=pair.duplicate, scheme="wikidata", value="Q777003")
    before = snapshot()
    with pytest.raises(MergeRefused, match=r"Q777001.*Q777003"):
        merge_organizations(pair.kept, [pair.duplicate])
    assert snapshot() == before


def test_organizations_referring_to_each_other_do_not_refer_to_themselves():
    kept = Organization.objects.create(name_en="Merged Into", kind="ngo")
    duplicate = Organization.objects.create(
        name_en="Merged Away", kind="ngo", parent=kept, successor=kept, succeeded_on=DAY
    )
    kept.parent = duplicate
    kept.save()
    duplicate.merge_into(kept)
    kept.refresh_from_db()
    assert (kept.parent, kept.successor) == (None, None)
    former = kept.other_names.get()
    assert (former.name, former.kind, former.end_date) == ("Merged Away", "former", DAY)


def test_a_merge_that_would_make_a_unit_of_itself_is_refused():
    duplicate = Organization.objects.create(name_en="Cycle Duplicate", kind="university")
    unit = Organization.objects.create(
        name_en="Cycle Unit", kind="university_unit", parent=duplicate
    )
    kept = Organization.objects.create(name_en="Cycle Kept", kind="ngo", parent=unit)
    with pytest.raises(MergeRefused, match="unit of itself"):
        merge_organizations(kept, [duplicate])
    unit.refresh_from_db()
    assert unit.parent == duplicate


def test_several_organizations_merge_at_once():
    kept = Organization.objects.create(name_en="Three Kept", kind="ngo")
    first = Organization.objects.create(name_en="Three First", kind="ngo")
    second = Organization.objects.create(name_en="Three Second", kind="ngo", parent=first)
    summary = merge_organizations(kept, [first, second])
    assert set(Organization.objects.filter(name_en__startswith="Three ")) == {kept}
    assert kept.parent is None
    assert summary.names == ["Three First", "Three Second"]


def test_history_records_the_merge_with_its_user(pair, editor_user):
    merge_organizations(pair.kept, [pair.duplicate], user=editor_user)
    reason = "Merged Merge Duplicate into Merge Kept"
    moved = Membership.objects.get(pk=pair.membership.pk).history.first()
    deleted = Organization.history.filter(id=pair.duplicate.pk).first()
    kept = Organization.objects.get(pk=pair.kept.pk).history.first()
    for record, kind in [(moved, "~"), (deleted, "-"), (kept, "~")]:
        assert (record.history_type, record.history_change_reason, record.history_user) == (
            kind,
            reason,
            editor_user,
        )


# The admin action, as an editor uses it.

CHANGELIST = reverse("admin:directory_organization_changelist")


def choose(client, *organizations, **extra):
    return client.post(
        CHANGELIST,
        {"action": "merge_selected", "_selected_action": [o.pk for o in organizations], **extra},
    )


def offered_actions(client):
    form = client.get(CHANGELIST).context["action_form"]
    return dict(form.fields["action"].choices) if form else {}


def test_the_admin_action_confirms_then_merges(superuser_client, superuser, pair):
    assert "merge_selected" in offered_actions(superuser_client)
    page = choose(superuser_client, pair.kept, pair.duplicate)
    assert_status(page, 200)
    assert page.templates[0].name == "admin/directory/organization/merge.html"
    text = page.content.decode()
    assert "Merge Kept" in text and "Merge Duplicate" in text
    assert "memberships: 2" in text and "networks with it as secretariat: 1" in text
    unchosen = choose(superuser_client, pair.kept, pair.duplicate, post="yes")
    assert "Choose the organization to keep." in unchosen.content.decode()
    assert Organization.objects.filter(pk=pair.duplicate.pk).exists()

    done = choose(superuser_client, pair.kept, pair.duplicate, post="yes", kept=pair.kept.pk)
    assert_status(done, 302)
    assert done.url == reverse("admin:directory_organization_change", args=[pair.kept.pk])
    assert not Organization.objects.filter(pk=pair.duplicate.pk).exists()
    assert Position.objects.get(pk=pair.position.pk).history.first().history_user == superuser
    shown = superuser_client.get(done.url).content.decode()
    assert "Merged Merge Duplicate into Merge Kept. Moved: " in shown
    assert "combined with the existing record: other names (1), memberships (1)" in shown


def test_the_admin_action_shows_a_refusal(superuser_client, pair):
    Identifier.objects.create(organization=pair.duplicate, scheme="wikidata", value="Q777003")
    response = choose(superuser_client, pair.kept, pair.duplicate, post="yes", kept=pair.kept.pk)
    assert_status(response, 302)
    assert Organization.objects.filter(pk=pair.duplicate.pk).exists()
    shown = superuser_client.get(response.url).content.decode()
    assert "differ in identifier" in shown


def test_merging_needs_the_permission_to_delete(client, pair):
    user = User.objects.create_user("dora", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="directory").exclude(
            codename="delete_organization"
        )
    )
    client.force_login(user)
    assert "merge_selected" not in offered_actions(client)
    choose(client, pair.kept, pair.duplicate, post="yes", kept=pair.kept.pk)
    assert Organization.objects.filter(pk=pair.duplicate.pk).exists()


def test_the_change_form_shows_the_successor(superuser_client, pair):
    url = reverse("admin:directory_organization_change", args=[pair.predecessor.pk])
    text = superuser_client.get(url).content.decode()
    assert 'name="successor"' in text and 'name="succeeded_on"' in text
