"""The Content Security Policy of each answer (django-csp).

The site's own pages keep the strict policy of settings.CONTENT_SECURITY_POLICY: no inline
script or style. The admin and the API's browsable pages come from other packages'
templates, which use inline style (style attributes in the browsable API, simple-history
and import-export, a <style> element in the browsable API) and one inline event handler
(import-export's "select all" box). Only those pages allow exactly that; their script stays
limited to files from this site.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

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
