"""Editors move organizations, people and memberships in and out of the directory as
spreadsheets (CSV, XLSX) in the admin. Rows name records by slug, never by id; a bad row is
reported with its errors and the file writes nothing; importing an export changes nothing."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX

from directory.models import Organization, Person, Source
from directory.resources import OrganizationResource, PersonResource
from networks.models import Membership
from networks.resources import MembershipResource
from tests.factories import make_directory
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

RESOURCES = [OrganizationResource, PersonResource, MembershipResource]
FORMATS = [CSV, XLSX]
SOURCE = "cdb-2021-international-networks"
OTHER_SOURCE = "csw-2025-international-volunteering"
ORGANIZATION_HEADERS = [
    "slug",
    "name_zh",
    "name_en",
    "kind",
    "country",
    "city",
    "parent",
    "fields",
    "founded_on",
    "founded_precision",
    "sources",
]


def export(resource_class, file_format, queryset=None):
    dataset = resource_class().export(queryset, force_native_type=file_format().is_binary())
    return file_format().export_data(dataset)


def read(data, file_format):
    return file_format().create_dataset(data).dict


def load(resource_class, data, file_format=CSV, **kwargs):
    return resource_class().import_data(file_format().create_dataset(data), **kwargs)


def spreadsheet(headers, *rows):
    """A CSV file; each row a dict of the columns it fills."""
    out = io.StringIO()
    writer = csv.DictWriter(out, headers, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def organization(**columns):
    return {"name_en": "Green River", "kind": "ngo", "sources": SOURCE, **columns}


# Export


@pytest.mark.parametrize("file_format", FORMATS, ids=["csv", "xlsx"])
def test_organizations_export_with_related_records_by_slug(file_format):
    rows = {
        row["slug"]: row for row in read(export(OrganizationResource, file_format), file_format)
    }
    assert len(rows) == Organization.objects.count()
    cango = rows["cango"]
    assert [cango[column] for column in ["name_zh", "name_en", "kind", "country"]] == [
        "中国民促会",
        "China Association for NGO Cooperation",
        "other",
        "CN",
    ]
    bclarc = rows["bclarc"]
    assert [bclarc[column] for column in ["kind", "country", "city"]] == ["ngo", "CN", "beijing"]
    assert cango["fields"] == (
        "climate-change, community-governance, environment-biodiversity, "
        "gender-equality, international-cooperation, poverty-relief"
    )
    assert cango["sources"] == SOURCE


@pytest.mark.parametrize("file_format", FORMATS, ids=["csv", "xlsx"])
def test_people_export(file_format):
    rows = {row["slug"]: row for row in read(export(PersonResource, file_format), file_format)}
    assert len(rows) == Person.objects.count()
    assert (rows["zhang-gengrui"]["name_zh"], rows["zhang-gengrui"]["sources"]) == (
        "张耿瑞",
        SOURCE,
    )


@pytest.mark.parametrize("file_format", FORMATS, ids=["csv", "xlsx"])
def test_memberships_export_named_by_organization_network_role_and_start(file_format):
    rows = read(export(MembershipResource, file_format), file_format)
    assert len(rows) == Membership.objects.count()
    cyva = next(
        row
        for row in rows
        if (row["organization"], row["network"]) == ("cyva", "un-ecosoc-consultative-status")
    )
    assert [
        cyva["role"],
        cyva["level"],
        str(cyva["start_date"])[:10],
        cyva["start_precision"],
        cyva["sources"],
    ] == ["consultative_status", "special", "2010-07-01", "month", OTHER_SOURCE]


# A count and a page of rows, then one query for each many-to-many column.
EXPORT_QUERIES = {OrganizationResource: 4, PersonResource: 3, MembershipResource: 3}


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r._meta.model.__name__)
def test_export_runs_a_fixed_number_of_queries_whatever_the_number_of_rows(
    django_assert_num_queries, resource_class
):
    queryset = resource_class._meta.model.objects.all()
    for size in (3, 20):
        make_directory(size, prefix=f"size{size}")
        # The library pages through rows 100 at a time, each page with its own queries.
        assert queryset.count() <= 100
        with django_assert_num_queries(EXPORT_QUERIES[resource_class]):
            export(resource_class, CSV, queryset)


# Import


@pytest.mark.parametrize("file_format", FORMATS, ids=["csv", "xlsx"])
@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r._meta.model.__name__)
def test_importing_an_export_changes_nothing(resource_class, file_format):
    model = resource_class._meta.model
    history = model.history.count()
    result = load(resource_class, export(resource_class, file_format), file_format)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == result.total_rows == model.objects.count()
    assert model.history.count() == history


def test_a_csv_file_creates_organizations_with_their_relations(superuser):
    data = spreadsheet(
        ORGANIZATION_HEADERS,
        organization(
            name_zh="绿色江河",
            city="changsha",
            parent="cango",
            fields="youth; climate-change",
            founded_on="2003-05-17",
            founded_precision="month",
        ),
        # A new unit names its parent, listed above it, by the slug the parent will get.
        organization(
            slug="green-river-youth",
            name_en="Green River Youth",
            country="CN",
            parent="green-river",
            sources=f"{SOURCE}, {OTHER_SOURCE}",
        ),
    )
    result = load(OrganizationResource, data, user=superuser, file_name="new.csv")
    assert [row.import_type for row in result] == ["new", "new"]
    river = Organization.objects.get(slug="green-river")
    assert [
        river.name_zh,
        river.city.slug,
        river.country.code,
        river.parent.slug,
        river.founded,
    ] == ["绿色江河", "changsha", "CN", "cango", "2003-05"]
    assert sorted(river.fields.values_list("slug", flat=True)) == ["climate-change", "youth"]
    assert list(river.sources.values_list("slug", flat=True)) == [SOURCE]
    youth = Organization.objects.get(slug="green-river-youth")
    assert youth.parent == river
    assert youth.sources.count() == 2
    created = river.history.get(history_type="+")
    assert (created.history_user, created.history_change_reason) == (
        superuser,
        "Imported from new.csv",
    )


def test_a_csv_file_adds_people_and_memberships_and_updates_a_membership():
    people = spreadsheet(
        ["slug", "name_zh", "name_en", "sources"], {"name_zh": "王小明", "sources": SOURCE}
    )
    assert [row.import_type for row in load(PersonResource, people)] == ["new"]
    assert Person.objects.get(name_zh="王小明").sources.get().slug == SOURCE

    memberships = spreadsheet(
        [
            "organization",
            "network",
            "role",
            "level",
            "start_date",
            "start_precision",
            "notes",
            "sources",
        ],
        {
            "organization": "cango",
            "network": "unv-programme",
            "role": "observer",
            "start_date": "2019-06-01",
            "start_precision": "year",
            "sources": SOURCE,
        },
        {
            "organization": "cyva",
            "network": "un-ecosoc-consultative-status",
            "role": "consultative_status",
            "level": "special",
            "start_date": "2010-07-01",
            "start_precision": "month",
            "notes": "Confirmed by the UN list.",
            "sources": OTHER_SOURCE,
        },
    )
    assert [row.import_type for row in load(MembershipResource, memberships)] == ["new", "update"]
    observer = Membership.objects.get(organization__slug="cango", role="observer")
    assert (observer.network.slug, observer.start) == ("unv-programme", "2019")
    updated = Membership.objects.get(organization__slug="cyva", role="consultative_status")
    assert updated.notes == "Confirmed by the UN list."


BAD_ROWS = {
    "unknown city": ({"city": "atlantis"}, "city", "No city has the slug “atlantis”."),
    "no sources": ({"sources": ""}, "sources", "Name at least one source by its slug"),
    "unknown source": (
        {"sources": f"{SOURCE}, nowhere"},
        "sources",
        "No source has the slug “nowhere”.",
    ),
    "invalid kind": ({"kind": "club"}, "kind", "Value 'club' is not a valid choice."),
    "no name": ({"name_en": ""}, "__all__", "Give a name in Chinese, in English, or both."),
    "date not ISO": ({"founded_on": "17/05/2003"}, "founded_on", "Write dates as YYYY-MM-DD"),
}


@pytest.mark.parametrize(("columns", "field", "message"), BAD_ROWS.values(), ids=BAD_ROWS)
def test_a_bad_row_is_reported_and_the_file_writes_nothing(columns, field, message):
    data = spreadsheet(
        ORGANIZATION_HEADERS, organization(name_en="Good One"), organization(**columns)
    )
    before = Organization.objects.count()
    result = load(OrganizationResource, data)
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert any(message in error for error in invalid.error_dict[field]), invalid.error_dict
    assert Organization.objects.count() == before


def test_a_membership_of_an_unknown_organization_is_a_row_error():
    data = spreadsheet(
        ["organization", "network", "role", "start_date", "sources"],
        {"organization": "nobody", "network": "unv-programme", "role": "member", "sources": SOURCE},
    )
    [invalid] = load(MembershipResource, data).invalid_rows
    assert invalid.error_dict == {"organization": ["No organization has the slug “nobody”."]}


# The admin


def admin_url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.mark.parametrize("model", [Organization, Person, Membership], ids=lambda m: m.__name__)
def test_the_list_page_has_import_and_export_and_the_change_page_history(superuser_client, model):
    page = superuser_client.get(admin_url(model, "changelist")).content.decode()
    assert admin_url(model, "import") in page and admin_url(model, "export") in page
    for view in ("import", "export"):
        assert_status(superuser_client.get(admin_url(model, view)), 200)
    record = model.objects.first()
    change = superuser_client.get(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.pk])
    )
    assert (
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[record.pk])
        in change.content.decode()
    )


def upload(client, data, name="organizations.csv"):
    return client.post(
        admin_url(Organization, "import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile(name, data.encode("utf-8-sig")),
        },
    )


def test_an_admin_import_is_previewed_then_confirmed_and_recorded(superuser_client, superuser):
    preview = upload(superuser_client, spreadsheet(ORGANIZATION_HEADERS, organization()))
    assert_status(preview, 200)
    assert not Organization.objects.filter(name_en="Green River").exists()
    confirm = preview.context["confirm_form"]
    response = superuser_client.post(admin_url(Organization, "process_import"), confirm.initial)
    assert_status(response, 302)
    river = Organization.objects.get(name_en="Green River")
    assert river.sources.get().slug == SOURCE
    created = river.history.get()
    assert (created.history_user, created.history_change_reason) == (
        superuser,
        "Imported from organizations.csv",
    )


def test_the_admin_preview_shows_row_errors_and_offers_no_confirmation(superuser_client):
    preview = upload(
        superuser_client,
        spreadsheet(
            ORGANIZATION_HEADERS, organization(), organization(name_en="Elsewhere", city="atlantis")
        ),
    )
    assert_status(preview, 200)
    assert "confirm_form" not in preview.context
    assert "No city has the slug “atlantis”." in preview.content.decode()


def test_a_confirmed_import_that_now_fails_writes_nothing_and_says_so(superuser_client):
    source = Source.objects.create(slug="short-lived", title="Short lived")
    preview = upload(
        superuser_client,
        spreadsheet(
            ORGANIZATION_HEADERS,
            organization(name_en="First"),
            organization(name_en="Second", sources="short-lived"),
        ),
    )
    confirm = preview.context["confirm_form"]
    source.delete()
    response = superuser_client.post(
        admin_url(Organization, "process_import"), confirm.initial, follow=True
    )
    assert "Nothing was imported" in response.content.decode()
    assert not Organization.objects.filter(name_en__in=["First", "Second"]).exists()


def test_an_admin_export_is_a_csv_file_excel_reads_as_utf8(superuser_client):
    fields = {f"organizationresource_{name}": "on" for name in ["slug", "name_zh", "sources"]}
    response = superuser_client.post(
        admin_url(Organization, "export"), {"resource": "0", "format": "0", **fields}
    )
    assert_status(response, 200)
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffslug,name_zh,sources")
    assert f"cango,中国民促会,{SOURCE}" in content


def test_who_may_only_view_exports_but_does_not_import(client):
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_organization"))
    client.force_login(viewer)
    page = client.get(admin_url(Organization, "changelist")).content.decode()
    assert admin_url(Organization, "export") in page
    assert admin_url(Organization, "import") not in page
    assert_status(client.get(admin_url(Organization, "import")), 403)
