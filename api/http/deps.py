"""Request dependencies as `Annotated` aliases, so routes read as plain types."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Header, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.http.problems import ProblemError
from application.handling import CaseHandling
from application.keys import ApiKey, KeyRing
from application.permissions import Operation, actor_of, require, require_unit
from application.read_models import ReadSide, ViewBehindError
from domain.values import Actor, Role
from infrastructure.services import Services

MAX_VERSION = 2**31 - 1
READ_YOUR_WRITES_TIMEOUT = 2.0  # seconds a read waits for the views to include the client's write
bearer = HTTPBearer(auto_error=False, description="An API key from `hotline keys create`.")


# Dependencies that do no I/O are `async`: FastAPI runs sync ones in the thread pool, a hop per call.
# Each dependency also costs its own resolution per request, so the common ones read the services straight
# from the request rather than depending on `services`.


def services_of(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


async def services(request: Request) -> Services:
    return services_of(request)


ServicesDep = Annotated[Services, Depends(services)]


async def case_handling(request: Request) -> CaseHandling:
    return services_of(request).app


async def zone(request: Request) -> timezone:
    return services_of(request).zone


App = Annotated[CaseHandling, Depends(case_handling)]
Zone = Annotated[timezone, Depends(zone)]


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def recognised(keys: KeyRing, secret: str) -> ApiKey | None:
    """The key with this secret, if it is in use: from memory if recognised a moment ago, else looked up."""
    return keys.recently_recognised(secret) or await run_in_threadpool(keys.recognise, secret)


async def authenticate(request: Request, credentials: Credentials) -> ApiKey:
    """The key in `Authorization: Bearer`, or 401."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise ProblemError(401, "unauthorized", "Send an API key as Authorization: Bearer <key>.", challenge)
    key = await recognised(services_of(request).keys, credentials.credentials)
    if key is None:
        raise ProblemError(401, "unauthorized", "The API key is unknown or revoked.", challenge)
    return key


Key = Annotated[ApiKey, Depends(authenticate)]
TicketId = Annotated[UUID, Path(description="The ticket's id.")]


def allowed(operation: Operation) -> object:
    """A dependency that refuses a key whose role never allows `operation` (before any lookup)."""

    async def check(request: Request, credentials: Credentials) -> ApiKey:
        key = await authenticate(request, credentials)  # called, not depended on: one dependency less
        require(key, operation)
        return key

    return Depends(check)


def acting_on(operation: Operation) -> object:
    """A dependency giving the actor for a command on the ticket in the path, its unit checked."""

    async def actor(key: Key, app: App, ticket_id: TicketId) -> Actor:
        require(key, operation)
        # Only a worker's right to act depends on the ticket's unit; the others need no lookup.
        unit = (await run_in_threadpool(app.ticket, ticket_id)).unit if key.role is Role.WORKER else ""
        require_unit(key, unit)
        return actor_of(key, unit)

    return Depends(actor)


async def if_match(
    if_match: Annotated[str | None, Header(description='The version you decided on: "3".')] = None,
) -> int | None:
    """The version named by `If-Match`, or None when the client did not ask for a check."""
    if if_match is None or if_match.strip() == "*":
        return None
    tag = if_match.strip().removeprefix("W/").strip('"')
    # ASCII digits only (str.isdigit takes ² and ١), and no more than a 64-bit number has, before int().
    if not (tag.isascii() and tag.isdigit() and len(tag) <= 19) or not 0 < int(tag) <= MAX_VERSION:
        raise ProblemError(412, "stale_version", f"If-Match {if_match!r} names no version of this ticket.")
    return int(tag)


ExpectedVersion = Annotated[int | None, Depends(if_match)]


async def read_side(request: Request) -> ReadSide:
    found = services_of(request)
    if found.read_side is None:
        raise ProblemError(503, "views_unavailable", "The status board is not kept on this deployment.")
    return found.read_side


def fresh_views(
    views: Annotated[ReadSide, Depends(read_side)],
    app: App,
    min_position: Annotated[
        int | None,
        Header(alias="X-Hotline-Min-Position", ge=0, le=2**63 - 1, description="Wait for this log position."),
    ] = None,
) -> ReadSide:
    """The read side, once it includes `X-Hotline-Min-Position` (a command's `X-Hotline-Position`)."""
    if min_position is not None and min_position > (app.recorder.max_notification_id() or 0):
        detail = f"X-Hotline-Min-Position {min_position} is past the end of the log: no command returned it."
        raise ProblemError(422, "unknown_position", detail)
    try:
        views.wait(min_position, timeout=READ_YOUR_WRITES_TIMEOUT)
    except ViewBehindError as error:
        raise ProblemError(503, "views_behind", str(error), {"Retry-After": "1"}) from None
    return views


async def now(request: Request) -> datetime:
    return services_of(request).clock()


Views = Annotated[ReadSide, Depends(fresh_views)]
Now = Annotated[datetime, Depends(now)]
