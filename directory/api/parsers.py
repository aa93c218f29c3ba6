"""Request bodies in JSON, as DRF reads them, but a body nested too deeply to read is a 400
like any other malformed body, where Python's parser would end the request in a 500
(RecursionError)."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
