"""The ECOSOC import never sets a country: the China-based NGOs of the Committee's lists
stay without one until an editor accepts the country their names suggest."""

import pytest

from directory.countries import suggest_country
from directory.models import Organization
from networks.ecosoc.importer import import_decisions
from networks.ecosoc.reading import DecisionFile, read_path
from tests.helpers import shared_path

pytestmark = pytest.mark.django_db


def test_imported_china_based_ngos_get_a_country_only_when_it_is_accepted():
    granted = read_path(shared_path("data", "ecosoc", "1_ecosoc_status_granted.xlsx"))
    rows = [
        row
        for row in granted.rows
        if getattr(row, "name", "")
        and getattr(suggest_country([row.name]), "country", None) in {"CN", "HK", "MO"}
    ]
    assert len(rows) > 40
    known = set(Organization.objects.values_list("pk", flat=True))
    import_decisions([DecisionFile(granted.name, granted.kind, rows)])
    created = Organization.objects.exclude(pk__in=known)
    assert created.count() > 40
    # Those the directory already had keep their country (the fixtures' CYVA is in CN);
    # those the import created have none.
    assert set(created.values_list("country", flat=True)) == {""}
    suggestions = created.country_suggestions(country="CN")
    assert len(suggestions) > 30
    # Nothing was set by the import: the country filter does not find them yet.
    assert not Organization.objects.filter(country="CN", pk__in=suggestions).exists()

    assert Organization.objects.filter(pk__in=suggestions).accept_country_suggestions() == len(
        suggestions
    )
    china = set(Organization.objects.filter(country="CN").values_list("pk", flat=True))
    assert set(suggestions) <= china
    beijing = Organization.objects.get(name_en="Beijing Crafts Council")
    assert beijing.country == "CN"
