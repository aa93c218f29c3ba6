"""Make the OpenAPI schema say what the API really does, so clients (and Schemathesis) can
rely on it: which errors each operation can answer with, and that anyone may read (reads
declare no security; writes declare the token and session schemes)."""

ERROR_DESCRIPTIONS = {
    "400": "Malformed parameters or data; the body names each field and what is wrong.",
    "401": "Writing needs an account: send a token or sign in.",
    "403": "The account lacks the permission for this change.",
    "404": "No such record, or no such page.",
    "409": "The change conflicts with other records (for example, deleting a record others "
    "refer to).",
    "429": "Too many requests from this client; try again later.",
    "406": "The Accept header names none of the types this operation answers in.",
}
# Answered by the server (gunicorn) before the API sees the request, so not in JSON: a
# request line longer than its limit (4,094 bytes by default).
SERVER_ANSWERS = {"414": "The address is too long."}
READ_METHODS = {"get", "head"}
# A list's page or a record as CSV (`format=csv`): text, one row per record.
CSV_PAGE = {
    "schema": {
        "type": "string",
        "description": (
            "UTF-8 CSV with a header row, one row per record; related records by slug. A "
            "list's CSV is one page: the count and the other pages' addresses are in the "
            "X-Total-Count and Link headers. For every record a list selects in one file, "
            "use its export."
        ),
    }
}
# What a list's CSV page says in headers, since its body holds only the records.
PAGE_HEADERS = {
    "X-Total-Count": {
        "description": "With format=csv: how many records the list's filters select.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "Link": {
        "description": 'With format=csv: the next and previous pages (rel="next", rel="prev").',
        "schema": {"type": "string"},
    },
}
# The headers some answers carry, whichever operation gives them.
RESPONSE_HEADERS = {
    "301": {
        "Location": {
            "description": "The record's address now.",
            "schema": {"type": "string", "format": "uri"},
        }
    },
    "429": {
        "Retry-After": {
            "description": "Seconds to wait before asking again.",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}


def document_errors_and_anonymous_reads(result, generator, request, public):
    result["components"].setdefault("schemas", {})["Error"] = {
        "type": "object",
        "additionalProperties": True,
        "description": 'Either {"detail": message} or {field: [messages]}.',
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result["paths"].values():
        for method, operation in operations.items():
            codes = ["400", "404", "429"]
            if method not in READ_METHODS:
                codes += ["401", "403", "409"]
            # An operation that answers in other types than JSON (an export) refuses a
            # client that accepts only JSON.
            answered = operation["responses"].get("200", {}).get("content", {})
            if answered and "application/json" not in answered:
                codes.append("406")
            for code in codes:
                operation["responses"].setdefault(
                    code, {"description": ERROR_DESCRIPTIONS[code], "content": error}
                )
            for code, description in SERVER_ANSWERS.items():
                operation["responses"].setdefault(code, {"description": description})
            for code, headers in RESPONSE_HEADERS.items():
                if code in operation["responses"]:
                    operation["responses"][code].setdefault("headers", {}).update(headers)
            answered = operation["responses"].get("200", {})
            if "text/csv" in answered.get("content", {}) and "application/json" in answered.get(
                "content", {}
            ):
                # DRF's CSV renderer on a list or a record: spectacular would declare the
                # JSON's schema for it.
                answered["content"]["text/csv"] = CSV_PAGE
                json_schema = answered["content"]["application/json"]["schema"]
                if json_schema.get("$ref", "").startswith("#/components/schemas/Paginated"):
                    answered.setdefault("headers", {}).update(PAGE_HEADERS)
            if method in READ_METHODS:
                # Anyone may read. An empty list, not one holding {} beside the schemes:
                # generators (openapi-python-client) take any non-empty list to mean that
                # the operation needs credentials.
                operation["security"] = []
    return result
