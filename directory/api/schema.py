"""Make the OpenAPI schema say what the API really does, so clients (and Schemathesis) can
rely on it: which errors each operation can answer with, and that anyone may read."""

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
READ_METHODS = {"get", "head"}


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
            if method in READ_METHODS and {} not in operation.get("security", [{}]):
                operation["security"].append({})
    return result
