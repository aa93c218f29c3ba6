"""FastJSONRenderer writes the bytes DRF's JSONRenderer writes, faster, for every answer."""

import datetime
import decimal
import uuid

import orjson
import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from directory.api.renderers import FastJSONRenderer
from tests.helpers import assert_status

VALUES = [
    "plain",
    "中文与English",
    "line\u2028and\u2029paragraph",
    "</script><!--",
    'quote " \\ /',
    "\x00\x1f control",
    0,
    -7,
    2**63 - 1,
    1.5,
    0.1,
    True,
    False,
    None,
    [],
    {},
    datetime.datetime(2021, 9, 23, 9, 30, 5, 123456, tzinfo=datetime.UTC),
    datetime.datetime(2021, 9, 23, 9, 30),
    datetime.date(2021, 9, 23),
    datetime.time(9, 30),
    decimal.Decimal("12.50"),
    uuid.UUID(int=42),
    gettext_lazy("Organizations"),
    {1: "a key that is a number"},
    ReturnDict({"a": 1}, serializer=None),
    ReturnList([1, 2], serializer=None),
    [{"nested": [{"deeper": ["中"]}]}],
]


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_every_kind_of_value_is_written_as_drf_writes_it(value):
    data = {"value": value, "list": [value, value]}
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_what_orjson_cannot_write_is_left_to_drf():
    data = {"big": 2**70}
    assert FastJSONRenderer().render(data) == b'{"big":1180591620717411303424}'


def test_indented_answers_are_left_to_drf_and_nothing_is_empty():
    renderer = FastJSONRenderer()
    indented = renderer.render({"a": [1]}, "application/json; indent=2")
    assert indented == b'{\n  "a": [\n    1\n  ]\n}'
    assert renderer.render(None) == b""


def test_parts_written_earlier_are_taken_as_they_are():
    written = orjson.dumps({"slug": "cango"})
    assert FastJSONRenderer().render({"results": [orjson.Fragment(written)]}) == (
        b'{"results":[{"slug":"cango"}]}'
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/organizations/cango/",
        "/api/networks/?page_size=5",
        "/api/search/?q=cango",
    ],
)
def test_api_answers_are_drfs_bytes(anonymous, path):
    response = anonymous.get(path)
    assert_status(response, 200)
    assert isinstance(response.accepted_renderer, FastJSONRenderer)
    assert response.content == JSONRenderer().render(response.data)
