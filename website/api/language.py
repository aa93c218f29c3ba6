"""The API's language: English unless the client asks for another.

The site's pages default to Chinese (LANGUAGE_CODE), but a program that sends no
Accept-Language is better served by English messages, and a client generated from the
schema must get the same schema on every machine, whatever its language: identifiers,
enum names and descriptions in English. So the schema is always English, and the rest of
the API follows Accept-Language when the client sends it (its answers already vary on it).
"""

from django.utils import translation

from website.api import PATH_PREFIX, is_api_request

DEFAULT_LANGUAGE = "en"
SCHEMA_PATH = f"{PATH_PREFIX}schema/"


class ApiLanguageMiddleware:
    """After LocaleMiddleware, which chose the language from the request: English for the
    schema, and for API requests that name no language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_request(request) and (
            request.path_info.startswith(SCHEMA_PATH) or "Accept-Language" not in request.headers
        ):
            translation.activate(DEFAULT_LANGUAGE)
            request.LANGUAGE_CODE = DEFAULT_LANGUAGE
        return self.get_response(request)
