"""RFC 9457 problem details for every failure, each with a stable type a client can branch on."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from application.audit.use_cases import ChainUnavailableError
from application.errors import ConcurrentUpdateError, StaleVersionError, TicketNotFoundError
from application.idempotency import FenceLostError
from application.permissions import ForbiddenError
from domain.errors import InvalidInputError, LifecycleError
from infrastructure.failures import STORE_FAILURES

log = logging.getLogger(__name__)
PROBLEM_TYPE = "https://hotline.example/problems/"
MEDIA_TYPE = "application/problem+json"


class InvalidField(BaseModel):
    model_config = ConfigDict(frozen=True)  # hashable: the same error is reported once
    field: str
    problem: str


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong and what to do about it."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "type": PROBLEM_TYPE + "no_outcome_without_response", "title": "Lifecycle rule broken", "status": 409,
        "detail": "A ticket with a caller can be resolved only after the caller was reached.",
        "rule": "no_outcome_without_response",
    }]})  # fmt: skip
    type: str
    title: str
    status: int
    detail: str
    rule: str | None = None
    errors: list[InvalidField] | None = None


class ProblemError(Exception):
    """Raised by the edge itself (auth, preconditions, idempotency) to answer with a problem."""

    def __init__(self, status: int, code: str, detail: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.headers = status, code, detail, dict(headers or {})


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: object,
) -> JSONResponse:
    """An RFC 9457 response; `code` becomes the stable `type`."""
    title = title or _title(code, status)
    body = {"type": PROBLEM_TYPE + code, "title": title, "status": status, "detail": detail}
    body.update({key: value for key, value in extra.items() if value is not None})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=dict(headers or {}))


def _title(code: str, status: int) -> str:
    return TITLES.get(code) or HTTPStatus(status).phrase


TITLES = {
    "invalid_input": "Invalid input",
    "validation_failed": "The request does not match its schema",
    "ticket_not_found": "No such ticket",
    "stale_version": "The ticket has changed since you read it",
    "concurrent_update": "The ticket is busy; retry",
    "forbidden": "Not allowed for this key",
    "unauthorized": "A valid API key is required",
    "chain_unavailable": "This store keeps no tamper-evident chain",
}


MAX_ERRORS_SHOWN = 50


def install(app: FastAPI) -> None:
    """Map every error a request can meet to its problem response."""
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(ProblemError, _edge)  # type: ignore[arg-type]
    app.add_exception_handler(LifecycleError, _lifecycle)  # type: ignore[arg-type]
    app.add_exception_handler(InvalidInputError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(TicketNotFoundError, _not_found)  # type: ignore[arg-type]
    app.add_exception_handler(StaleVersionError, _stale)  # type: ignore[arg-type]
    app.add_exception_handler(ConcurrentUpdateError, _busy)  # type: ignore[arg-type]
    app.add_exception_handler(FenceLostError, _superseded)  # type: ignore[arg-type]
    app.add_exception_handler(ForbiddenError, _forbidden)  # type: ignore[arg-type]
    app.add_exception_handler(ChainUnavailableError, _no_chain)  # type: ignore[arg-type]
    for failure in STORE_FAILURES:
        app.add_exception_handler(failure, _store_unavailable)


def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
    # One error per field and problem: FastAPI can report a path parameter once per dependency reading it.
    errors = list(dict.fromkeys(_invalid_field(e) for e in error.errors()))
    sent_as = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if sent_as and sent_as != "application/json" and not sent_as.endswith("+json"):
        # FastAPI reads only a JSON content type as JSON: say that, not "should be a valid dictionary"
        said = f"must be JSON sent with Content-Type: application/json (it came as {sent_as})"
        errors = [InvalidField(field="body", problem=said) if e.field == "body" else e for e in errors]
    detail = "; ".join(f"{e.field}: {e.problem}" for e in errors[:5])
    # A body of 80,000 unknown fields would otherwise buy a reply of megabytes.
    shown, more = errors[:MAX_ERRORS_SHOWN], max(0, len(errors) - MAX_ERRORS_SHOWN)
    return problem(
        422, "validation_failed", detail, errors=[e.model_dump() for e in shown], more_errors=more or None
    )


def _invalid_field(error: Mapping[str, object]) -> InvalidField:
    loc = error.get("loc", ())
    parts = tuple(loc) if isinstance(loc, Sequence) else ()
    if error.get("type") == "json_invalid":  # loc is ("body", character offset), not a field
        ctx = error.get("ctx")
        reason = ctx.get("error", "") if isinstance(ctx, dict) else ""
        offset = parts[1] if len(parts) > 1 else "?"
        return InvalidField(field="body", problem=f"is not valid JSON at character {offset}: {reason}")
    return InvalidField(field=_location(parts), problem=str(error.get("msg", "")))


def _location(loc: Sequence[object]) -> str:
    return ".".join(str(part) for part in loc if part != "body") or "body"


def _http(request: Request, error: HTTPException) -> JSONResponse:
    code = HTTPStatus(error.status_code).phrase.lower().replace(" ", "_")
    return problem(error.status_code, code, str(error.detail), headers=error.headers)


def _edge(request: Request, error: ProblemError) -> JSONResponse:
    return problem(error.status, error.code, error.detail, headers=error.headers)


def _lifecycle(request: Request, error: LifecycleError) -> JSONResponse:
    return problem(409, error.rule.code, error.detail, title="Lifecycle rule broken", rule=error.rule.code)


def _invalid(request: Request, error: InvalidInputError) -> JSONResponse:
    errors = [InvalidField(field=error.field, problem=error.problem).model_dump()]
    return problem(422, "invalid_input", f"{error.field}: {error.problem}", errors=errors)


def _not_found(request: Request, error: TicketNotFoundError) -> JSONResponse:
    return problem(404, "ticket_not_found", str(error))


def _stale(request: Request, error: StaleVersionError) -> JSONResponse:
    detail = f"{error} Read the ticket again, then decide."
    return problem(412, "stale_version", detail, headers={"ETag": f'"{error.actual}"'})


def _busy(request: Request, error: ConcurrentUpdateError) -> JSONResponse:
    return problem(503, "concurrent_update", str(error), headers={"Retry-After": "1"})


def _store_unavailable(request: Request, error: Exception) -> JSONResponse:
    return store_unavailable(request.url.path, error)


def store_unavailable(path: str, error: Exception) -> JSONResponse:
    # The database is down, out of connections or locked for longer than the timeout: nothing the client
    # did wrong, and worth a retry. Whether an interrupted write was committed is not known here.
    log.warning("the store failed a request to %s: %s", path, error)
    detail = (
        "The event store could not be reached or was busy; try again shortly. A write cut off while "
        "it was being committed may have been recorded: read the ticket's history before repeating it."
    )
    return problem(503, "store_unavailable", detail, headers={"Retry-After": "1"})


def _superseded(request: Request, error: FenceLostError) -> JSONResponse:
    detail = (
        "Another request with this Idempotency-Key (a retry that took it over while this one waited for "
        "the store) holds the key or has recorded already: nothing of this one was recorded. Send the "
        "request again to see the answer that stands."
    )
    return problem(409, "idempotency_superseded", detail)


def _forbidden(request: Request, error: ForbiddenError) -> JSONResponse:
    return problem(403, "forbidden", error.reason)


def _no_chain(request: Request, error: ChainUnavailableError) -> JSONResponse:
    return problem(409, "chain_unavailable", str(error))


def responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """The problem responses an operation documents in OpenAPI."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
