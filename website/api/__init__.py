"""The API: every app's endpoints under one address prefix."""

PATH_PREFIX = "/api/"


def is_api_request(request):
    """Whether the request is for the API, whose answers are JSON (errors included)."""
    return request.path_info.startswith(PATH_PREFIX)
