"""The Content Security Policy of each answer (django-csp), and addresses refused outright.

The site's own pages keep the strict policy of settings.CONTENT_SECURITY_POLICY: no inline
script or style. The admin and the API's browsable pages come from other packages'
templates, which use inline style (style attributes in the browsable API, simple-history
and import-export, a <style> element in the browsable API) and one inline event handler
(import-export's "select all" box). Only those pages allow exactly that; their script stays
limited to files from this site.
"""

from urllib.parse import unquote_to_bytes

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import BadRequest

from website.api import is_api_request

# import-export's export form: <input onchange="onSelectToggleChange(event)">. The hash
# allows this one handler and no other inline script.
IMPORT_EXPORT_TOGGLE = "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"

PACKAGE_PAGES = {
    "style-src": ["'unsafe-inline'"],
    "script-src-attr": ["'unsafe-hashes'", IMPORT_EXPORT_TOGGLE],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.update is None
            and (request.path_info.startswith(f"/{settings.ADMIN_URL}") or is_api_request(request))
        ):
            parts.update = PACKAGE_PAGES
        return parts


class RefuseNulCharactersMiddleware:
    """A 400 for an address or query string holding a NUL character: no record's slug or
    text holds one, and PostgreSQL refuses one in a statement's text, so that a value
    holding one would otherwise fail where it reaches a query, as a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(query.replace("+", " ")):
            raise BadRequest("The address holds a NUL character.")
        return self.get_response(request)
