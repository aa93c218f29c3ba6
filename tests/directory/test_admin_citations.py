"""Citations in the admin: one citation a row (the fact, the source, where in it and the
passage), no JSON to write. The record's citations are shown as filled rows followed by empty
ones; a row whose source is emptied is removed; what the model refuses comes back as an
error on the field, and nothing is saved."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.utils import translation
from django.utils.text import capfirst

from directory.admin_citations import CitationRowsField
from directory.models import Organization, Source
from directory.models.base import Citations
from tests.helpers import assert_status
from tests.website.test_admin import admin_url, membership_inline

pytestmark = pytest.mark.django_db

ARTICLE = "csw-2025-international-volunteering"
BRIEF = "cdb-2021-international-networks"
PASSAGE = "2010年7月,中国青年志愿者协会被联合国经社理事会授予特别咨商地位"
CITATIONS = [
    {"field": "", "source": BRIEF, "location": "¶38", "passage": "爱心会"},
    {"field": "name_zh", "source": ARTICLE, "location": "¶13", "passage": PASSAGE},
]


class CitationControls(HTMLParser):
    """What a browser would post of a page's citation rows: each control named citations-…
    with its value (a select's chosen option, a textarea's text)."""

    def __init__(self):
        super().__init__()
        self.values, self.select, self.textarea, self.first_option = {}, None, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        if tag == "select" and name.startswith("citations-"):
            self.select = name
        elif tag == "option" and self.select:
            self.first_option.setdefault(self.select, attrs["value"])
            if "selected" in attrs:
                self.values[self.select] = attrs["value"]
        elif tag == "input" and name.startswith("citations-"):
            self.values[name] = attrs.get("value", "")
        elif tag == "textarea" and name.startswith("citations-"):
            self.textarea, self.values[name] = name, ""

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            self.values.setdefault(self.select, self.first_option.get(self.select, ""))
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            # As in a browser, the line break that starts a textarea is not part of its text.
            text = self.values[self.textarea] + data
            self.values[self.textarea] = text.removeprefix("\n")


def citation_controls(html):
    parser = CitationControls()
    parser.feed(html)
    return parser.values


def rows_of(controls):
    """The rows a page shows: (fact, source, location, passage) in row order."""
    count = len({name.split("-")[1] for name in controls})
    return [
        tuple(
            controls[f"citations-{row}-{part}"]
            for part in ("field", "source", "location", "passage")
        )
        for row in range(count)
    ]


@pytest.fixture
def society():
    society = Organization.objects.create(
        name_zh="爱心会", name_en="Cited Society", kind="ngo", country="CN"
    )
    society.sources.set(Source.objects.all())
    Organization.objects.filter(pk=society.pk).update(citations=CITATIONS)
    society.refresh_from_db()
    return society


def open_page(client, record, **headers):
    response = client.get(admin_url(type(record), "change", record.pk), headers=headers)
    assert_status(response, 200)
    return response


def save_page(client, record, controls):
    """Post the record's page with these citation controls, its other fields as they are."""
    data = {**membership_inline(record, []), **controls}
    return client.post(admin_url(type(record), "change", record.pk), data)


def test_a_change_page_shows_each_citation_as_a_row_then_empty_rows(superuser_client, society):
    page = open_page(superuser_client, society).text
    assert rows_of(citation_controls(page)) == [
        ("", BRIEF, "¶38", "爱心会"),
        ("name_zh", ARTICLE, "¶13", PASSAGE),
        ("", "", "", ""),
        ("", "", "", ""),
    ]
    # No JSON to write: the rows are select boxes, a text box and a text area.
    assert 'name="citations"' not in page
    assert '<option value="" selected>The record itself</option>' in page
    assert '<option value="name_zh" selected>Name in Chinese</option>' in page
    assert '<option value="slug"' not in page  # the directory's own, not a fact to cite
    article = Source.objects.get(slug=ARTICLE)
    assert f'<option value="{ARTICLE}" selected>{article.title} ({ARTICLE})</option>' in page
    assert '<label for="id_citations-0-field">Citations:</label>' in page


def test_the_rows_speak_the_editors_language(superuser_client, society):
    page = open_page(superuser_client, society, **{"Accept-Language": "zh-hans"}).text
    with translation.override("zh-hans"):
        country = capfirst(str(Organization._meta.get_field("country").verbose_name))
    assert country != "Country"
    assert f'<option value="country">{country}</option>' in page
    for text in ["记录本身", "所引事实", "原文", "¶13、第 4 页", "要删除一条引注"]:
        assert text in page


def test_rows_add_change_and_remove_citations_one_save_at_a_time(superuser_client, society):
    controls = citation_controls(open_page(superuser_client, society).text)
    # The first citation moves in its source; the second is removed by emptying its source,
    # its passage left as it was; a new one is written in the first empty row. The second
    # empty row names a fact but nothing else: it is left out.
    controls["citations-0-location"] = "¶39"
    controls["citations-1-source"] = ""
    controls.update(
        {
            "citations-2-field": "country",
            "citations-2-source": ARTICLE,
            "citations-2-location": " p. 4 ",
            "citations-2-passage": "中国",
            "citations-3-field": "kind",
        }
    )
    assert_status(save_page(superuser_client, society, controls), 302)
    society.refresh_from_db()
    assert society.citations == [
        {"field": "", "source": BRIEF, "location": "¶39", "passage": "爱心会"},
        {"field": "country", "source": ARTICLE, "location": "p. 4", "passage": "中国"},
    ]
    # The page shows them again, with empty rows for more.
    controls = citation_controls(open_page(superuser_client, society).text)
    assert rows_of(controls)[2:] == [("", "", "", "")] * 2
    controls.update({"citations-2-field": "name_zh", "citations-2-source": BRIEF})
    assert_status(save_page(superuser_client, society, controls), 302)
    society.refresh_from_db()
    assert [citation["field"] for citation in society.citations] == ["", "country", "name_zh"]
    assert len(rows_of(citation_controls(open_page(superuser_client, society).text))) == 5
    # The history says the citations changed.
    assert "Citations" in LogEntry.objects.latest("action_time").get_change_message()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"citations-2-source": "nowhere"}, "No such source: nowhere."),
        (
            {"citations-2-source": ARTICLE, "citations-2-field": "slug"},
            "No such field to cite: slug.",
        ),
        (
            {"citations-2-source": ARTICLE, "citations-2-location": "¶" * 101},
            "A passage is at most 2,000 characters, a location 100.",
        ),
        (
            {
                "citations-2-source": BRIEF,
                "citations-2-location": "¶38",
                "citations-2-passage": "爱心会",
            },
            "The same citation is given twice.",
        ),
    ],
)
def test_what_the_model_refuses_is_an_error_on_the_field(superuser_client, society, row, message):
    controls = {**citation_controls(open_page(superuser_client, society).text), **row}
    controls["citations-1-location"] = "¶14"  # changed too, and not saved either
    response = save_page(superuser_client, society, controls)
    assert_status(response, 200)
    assert response.context["adminform"].form.errors["citations"] == [message]
    society.refresh_from_db()
    assert society.citations == CITATIONS
    # The rows come back as they were written, the value the model refused among them.
    shown = citation_controls(response.text)
    assert {name: shown[name] for name in row} == row
    assert shown["citations-1-location"] == "¶14"


def test_a_new_row_with_a_passage_but_no_source_is_refused_not_dropped(superuser_client, society):
    page = citation_controls(open_page(superuser_client, society).text)
    controls = {**page, "citations-2-field": "country", "citations-2-passage": "中国"}
    response = save_page(superuser_client, society, {**controls, "citations-3-location": "p. 9"})
    assert_status(response, 200)
    assert response.context["adminform"].form.errors["citations"] == [
        "Rows 3, 4 quote a passage or give a location but have no source: choose their "
        "sources, or clear their passages and locations to leave them out."
    ]
    society.refresh_from_db()
    assert society.citations == CITATIONS
    # The passage is still there to be given its source, with empty rows after it.
    shown = rows_of(citation_controls(response.text))
    empty = ("", "", "", "")
    assert shown[2:] == [("country", "", "", "中国"), ("", "", "p. 9", ""), empty, empty]
    # One such row after an empty one, on a Chinese page: it keeps its number.
    controls = {**page, "citations-3-passage": "中国"}
    response = superuser_client.post(
        admin_url(Organization, "change", society.pk),
        {**membership_inline(society, []), **controls},
        headers={"Accept-Language": "zh-hans"},
    )
    assert_status(response, 200)
    assert "第 4 行引用了原文或给出了位置" in response.text
    assert rows_of(citation_controls(response.text))[3] == ("", "", "", "中国")
    society.refresh_from_db()
    assert society.citations == CITATIONS


def test_a_form_posted_without_rows_leaves_the_citations_as_they_are(superuser_client, society):
    """Scripts and older pages that post no rows at all do not empty the citations, and the
    page saved with its rows unchanged does not record a change of them."""
    data = membership_inline(society, [])
    data["description_en"] = "Described."
    assert_status(superuser_client.post(admin_url(Organization, "change", society.pk), data), 302)
    society.refresh_from_db()
    assert (society.description_en, society.citations) == ("Described.", CITATIONS)
    assert "Citations" not in LogEntry.objects.latest("action_time").get_change_message()
    controls = citation_controls(open_page(superuser_client, society).text)
    data["description_en"] = "Described again."
    assert_status(save_page(superuser_client, society, {**data, **controls}), 302)
    assert "Citations" not in LogEntry.objects.latest("action_time").get_change_message()
    society.refresh_from_db()
    assert society.citations == CITATIONS


CITING_MODELS = [model for model in admin.site._registry if issubclass(model, Citations)]


@pytest.mark.parametrize("model", CITING_MODELS, ids=lambda model: model._meta.label)
def test_every_admin_of_a_citing_record_edits_citations_as_rows(
    superuser_client, superuser, model, rf
):
    assert len(CITING_MODELS) == 12
    request = rf.get("/")
    request.user = superuser
    form = admin.site._registry[model].get_form(request, None)
    assert isinstance(form.base_fields["citations"], CitationRowsField)
    page = superuser_client.get(admin_url(model, "add")).text
    assert 'name="citations-0-source"' in page
    assert 'name="citations"' not in page
