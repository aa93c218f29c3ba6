"""Statement-level citations: a record says which source states which of its facts, with the
passage and where it stands; pages show a numbered note beside each cited fact, the API
carries them."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from directory.models import Organization, Source
from directory.models.base import Citations
from networks.models import Membership
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

ARTICLE = "csw-2025-international-volunteering"
PASSAGE = "2010年7月,中国青年志愿者协会被联合国经社理事会授予特别咨商地位"


def cite(record, *citations):
    record.citations = list(citations)
    record.full_clean()
    record.save()
    return record


def test_citations_are_checked_and_kept_in_one_shape():
    cyva = Organization.objects.get(slug="cyva")
    cite(cyva, {"field": "name_zh", "source": ARTICLE, "passage": " 中国青年志愿者协会 "})
    cyva.refresh_from_db()
    assert cyva.citations == [
        {"field": "name_zh", "location": "", "passage": "中国青年志愿者协会", "source": ARTICLE}
    ]
    for citations, message in [
        ([{"field": "nickname", "source": ARTICLE}], "No such field to cite: nickname."),
        ([{"field": "kind", "source": "no-such-article"}], "No such source: no-such-article."),
        ([{"field": "kind"}], "Each citation is"),
        ("kind", "Each citation is"),
        ([{"field": "kind", "source": ARTICLE, "page": "4"}], "Each citation is"),
        ([{"field": "kind", "source": ARTICLE}] * 2, "The same citation is given twice."),
        ([{"field": "kind", "source": ARTICLE, "passage": "x" * 2001}], "at most 2,000"),
    ]:
        cyva.citations = citations
        with pytest.raises(ValidationError) as refused:
            cyva.full_clean()
        assert any(message in text for text in refused.value.message_dict["citations"])


def test_a_page_shows_a_numbered_note_beside_each_cited_fact(client):
    cyva = Organization.objects.get(slug="cyva")
    # Only this test's citations: the fixtures' own are read elsewhere (test_fixtures).
    for model in apps.get_models():
        if issubclass(model, Citations):
            model.objects.update(citations=[])
    status = Membership.objects.get(organization=cyva, role="consultative_status")
    cite(status, {"field": "start_date", "source": ARTICLE, "passage": PASSAGE, "location": "¶13"})
    cite(
        cyva,
        {"field": "name_zh", "source": ARTICLE, "passage": PASSAGE, "location": "¶13"},
        {"field": "kind", "source": "cdb-2021-international-networks", "location": "¶20"},
    )
    page = client.get("/en/organizations/cyva/").content.decode()
    # The name and the status's start cite the same passage: one note, numbered first as
    # the name comes first; the kind's is the second.
    assert '<h1>China Young Volunteers Association<sup class="note"><a href="#note-2">' in page
    assert f'{status.start}<sup class="note"><a href="#note-2">[2]</a></sup>' in page
    assert '<sup class="note"><a href="#note-1">[1]</a></sup></p>' in page  # the kind
    notes = page[page.index('id="notes-heading"') :]
    article = Source.objects.get(slug=ARTICLE)
    assert f'<li id="note-2"><a href="{article.get_absolute_url()}">{article.title}</a>' in notes
    assert f"¶13: <q>{PASSAGE}</q>" in notes
    assert notes.count("<li id=") == 2


def test_a_page_without_citations_has_no_notes(client):
    Organization.objects.create(name_en="Uncited Society", kind="ngo", slug="uncited-society")
    page = client.get("/en/organizations/uncited-society/").content.decode()
    assert '<sup class="note"' not in page and 'id="notes-heading"' not in page


def test_the_api_carries_and_checks_citations(editor, anonymous):
    citation = {"field": "kind", "source": ARTICLE, "passage": "协会", "location": "¶13"}
    response = editor.patch("/api/organizations/cyva/", {"citations": [citation]}, format="json")
    assert_status(response, 200)
    assert response.json()["citations"] == [citation]
    assert anonymous.get("/api/organizations/cyva/").json()["citations"] == [citation]
    listed = anonymous.get("/api/organizations/", {"search": "中国青年志愿者协会"}).json()[
        "results"
    ]
    assert listed[0]["citations"] == [citation]
    response = editor.patch(
        "/api/organizations/cyva/",
        {"citations": [{"field": "motto", "source": ARTICLE}]},
        format="json",
    )
    assert_status(response, 400)
    assert "No such field to cite: motto." in str(response.json()["citations"])


def test_popolo_lists_each_citation_as_a_link_with_its_passage(anonymous):
    from tests.website.test_api_formats import popolo

    cyva = Organization.objects.get(slug="cyva")
    cite(cyva, {"field": "name_zh", "source": ARTICLE, "passage": PASSAGE, "location": "¶13"})
    [organization] = [
        item
        for item in popolo(anonymous)["organizations"]
        if cyva.name_zh in {item["name"], *(other["name"] for other in item.get("other_names", []))}
    ]
    article = Source.objects.get(slug=ARTICLE)
    expected_url = article.web_address or f"http://testserver/api/sources/{ARTICLE}/"
    assert {"url": expected_url, "note": f"name_zh, ¶13: “{PASSAGE}”"} in organization["sources"]


def test_an_editor_cites_a_passage_in_the_admin(superuser_client):
    """A row of the citations (directory.admin_citations; tests/directory/
    test_admin_citations.py has the rest)."""
    from tests.website.test_admin import admin_url, membership_inline

    cyva = Organization.objects.get(slug="cyva")
    Organization.objects.filter(pk=cyva.pk).update(citations=[])
    data = membership_inline(cyva, [])
    data["founded_on"] = ""
    row = {"field": "name_zh", "source": ARTICLE, "passage": PASSAGE, "location": "¶13"}
    data.update({f"citations-0-{part}": value for part, value in row.items()})
    response = superuser_client.post(admin_url(Organization, "change", cyva.pk), data)
    assert_status(response, 302)
    cyva.refresh_from_db()
    assert cyva.citations_of("name_zh") == [row]
    data["citations-0-source"] = "nowhere"
    response = superuser_client.post(admin_url(Organization, "change", cyva.pk), data)
    assert_status(response, 200)
    assert "No such source: nowhere." in response.text
