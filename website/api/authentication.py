"""Tokens sent as `Authorization: Bearer <token>`, the standard scheme (RFC 6750) that
client generators send, beside DRF's own `Authorization: Token <token>`, which existing
clients use: the same tokens either way."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    keyword = "Bearer"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Declared as HTTP bearer, which generators understand, rather than as the header with
    a prefix that drf-spectacular declares for DRF's own tokens."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An editor's API token (the same token also works as "
            "`Authorization: Token <token>`).",
        }
