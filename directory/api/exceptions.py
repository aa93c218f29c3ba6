from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler

from directory.api.renderers import FastJSONRenderer


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = (
        "The record has changed since you read it (If-Match names another ETag): read it "
        "again, and apply your change to what it is now."
    )


def exception_handler(exc, context):
    """Refusals from the database become 409 Conflict with a readable message, not 500, and
    every error is answered in JSON."""
    if isinstance(exc, ProtectedError):
        exc = Conflict(
            {
                "detail": _("This record cannot be deleted while other records refer to it."),
                "referenced_by": sorted(str(record) for record in list(exc.protected_objects)[:20]),
            }
        )
    elif isinstance(exc, IntegrityError):
        exc = Conflict({"detail": _("This change conflicts with records already saved.")})
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        # Errors are always JSON, even for a request that asked for CSV or JSON Lines, or
        # for a type no renderer writes (a 406: DRF would write it with the view's first
        # renderer, an export's CSV).
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is None or renderer.format in ("csv", "jsonl"):
            request.accepted_renderer = FastJSONRenderer()
            request.accepted_media_type = FastJSONRenderer.media_type
    return response
