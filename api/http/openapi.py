"""What FastAPI cannot see from the routes, added to the OpenAPI document: the headers that middleware and
replies set, and the 503 any request to the store may answer. API.md calls the document complete."""

from __future__ import annotations

from typing import Any

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
STORE_UNAVAILABLE = {
    "description": "The store is down, out of connections or locked past its timeout (`store_unavailable`), "
    "or, on a write, the ticket was too contended (`concurrent_update`): retry after `Retry-After` seconds.",
    "headers": {
        "Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}
    },
    "content": PROBLEM,
}
ETAG = {
    "description": 'The ticket\'s version, quoted: `"7"`. Send it back as `If-Match`.',
    "schema": {"type": "string"},
}
POSITION = {
    "description": "The log position of what the command recorded: send it back as `X-Hotline-Min-Position` "
    "to read the board or the audit once they include it. Absent when nothing new was recorded.",
    "schema": {"type": "integer"},
}
REPLAYED = {
    "description": "`true` when this is the kept reply to an earlier request with the same Idempotency-Key.",
    "schema": {"type": "string", "enum": ["true"]},
}
LOCATION = {"description": "The ticket's path, `/v1/tickets/{id}`.", "schema": {"type": "string"}}


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with every operation's headers and its 503 declared (in place; returned for chaining)."""
    for path, operations in document["paths"].items():
        for verb, operation in operations.items():
            replies = operation["responses"]
            if path.startswith("/v1/"):
                declared = replies.setdefault("503", dict(STORE_UNAVAILABLE))
                declared.setdefault("headers", {}).update(STORE_UNAVAILABLE["headers"])
            for status, reply in replies.items():
                if status.startswith("2"):
                    reply.setdefault("headers", {}).update(_success_headers(path, verb))
    _receipt_again_has_the_ticket(document)
    return document


def _success_headers(path: str, verb: str) -> dict[str, object]:
    headers: dict[str, object] = {}
    if path.startswith("/v1/tickets") and (verb == "post" or path == "/v1/tickets/{ticket_id}"):
        headers["ETag"] = ETAG
    if verb == "post":
        headers |= {"X-Hotline-Position": POSITION, "Idempotent-Replayed": REPLAYED}
    if verb == "post" and path == "/v1/tickets":
        headers["Location"] = LOCATION
    return headers


def _receipt_again_has_the_ticket(document: dict[str, Any]) -> None:
    """The same external_ref again answers 200 with the existing ticket: the same body as the 201."""
    replies = document["paths"]["/v1/tickets"]["post"]["responses"]
    replies["200"].setdefault("content", replies["201"]["content"])
