"""The seven commands: each turns its body into the use case's command and answers with the ticket.

The routes are `async` and hand only the use case to a thread, through the command lane: FastAPI would
run a sync route in the thread pool and then validate its reply in a second hop to the pool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response

from api.http.command_lane import run_command
from api.http.deps import App, ExpectedVersion, Key, TicketId, Zone, acting_on, allowed
from api.http.problems import responses
from api.http.replies import recorded_reply
from api.http.schemas.commands import (
    ContactIn,
    CoordinationIn,
    FeedbackIn,
    PraiseIn,
    ReceiveIn,
    ResolutionIn,
    SiteVisitIn,
)
from api.http.schemas.tickets import TicketOut
from application.keys import ApiKey
from application.permissions import Operation, actor_of, require_intake_channel, require_unit
from domain.values import Actor

router = APIRouter(prefix="/v1/tickets", tags=["tickets: commands"])
ON_TICKET = responses(400, 401, 403, 404, 409, 412, 413, 422, 503)
Handler = Annotated[Actor, acting_on(Operation.HANDLE)]
Centre = Annotated[Actor, acting_on(Operation.FEEDBACK)]
Praiser = Annotated[Actor, acting_on(Operation.PRAISE)]
Receiver = Annotated[ApiKey, allowed(Operation.RECEIVE)]
CREATED: dict[int | str, dict[str, object]] = {
    200: {"description": "A ticket with this external_ref already exists; nothing new was recorded."}
}


@router.post(
    "", status_code=201, response_model=TicketOut, responses=CREATED | responses(400, 401, 403, 409, 413, 422)
)
async def receive_ticket(
    body: ReceiveIn, key: Receiver, app: App, zone: Zone, response: Response
) -> TicketOut:
    """Receive a ticket (受理); the same external_ref again returns the existing ticket."""
    require_intake_channel(key, body.channel)
    require_unit(key, body.unit)
    recorded = await run_command(app.receive, body.to_command(), actor_of(key, body.unit))
    if not recorded.created:  # the reference names a ticket received before: shown only to who may read it
        require_unit(key, recorded.ticket.unit)
    response.status_code = 201 if recorded.created else 200
    response.headers["Location"] = f"/v1/tickets/{recorded.ticket.id}"
    return recorded_reply(recorded, key, zone, response)


@router.post("/{ticket_id}/contacts", status_code=201, responses=ON_TICKET)
async def record_contact(
    *, ticket_id: TicketId, body: ContactIn, actor: Handler, key: Key, app: App, zone: Zone,
    expected: ExpectedVersion, response: Response,
) -> TicketOut:  # fmt: skip
    """Record an attempt to reach the caller (联系诉求人)."""
    recorded = await run_command(app.contact, ticket_id, body.to_command(), actor, expected_version=expected)
    return recorded_reply(recorded, key, zone, response)


@router.post("/{ticket_id}/site-visits", status_code=201, responses=ON_TICKET)
async def record_site_visit(
    *, ticket_id: TicketId, body: SiteVisitIn, actor: Handler, key: Key, app: App, zone: Zone,
    expected: ExpectedVersion, response: Response,
) -> TicketOut:  # fmt: skip
    """Record a visit to the site and what was found (现场核查)."""
    recorded = await run_command(
        app.visit_site, ticket_id, body.to_command(), actor, expected_version=expected
    )
    return recorded_reply(recorded, key, zone, response)


@router.post("/{ticket_id}/coordinations", status_code=201, responses=ON_TICKET)
async def record_coordination(
    *, ticket_id: TicketId, body: CoordinationIn, actor: Handler, key: Key, app: App, zone: Zone,
    expected: ExpectedVersion, response: Response,
) -> TicketOut:  # fmt: skip
    """Record a request to another body and its reply (协调)."""
    recorded = await run_command(
        app.coordinate, ticket_id, body.to_command(), actor, expected_version=expected
    )
    return recorded_reply(recorded, key, zone, response)


@router.post("/{ticket_id}/resolution", status_code=201, responses=ON_TICKET)
async def resolve_ticket(
    *, ticket_id: TicketId, body: ResolutionIn, actor: Handler, key: Key, app: App, zone: Zone,
    expected: ExpectedVersion, response: Response,
) -> TicketOut:  # fmt: skip
    """Record the outcome and the reply given to the caller (办结)."""
    recorded = await run_command(app.resolve, ticket_id, body.to_command(), actor, expected_version=expected)
    return recorded_reply(recorded, key, zone, response)


@router.post("/{ticket_id}/feedback", status_code=201, responses=ON_TICKET)
async def give_feedback(
    *, ticket_id: TicketId, body: FeedbackIn, actor: Centre, key: Key, app: App, zone: Zone,
    expected: ExpectedVersion, response: Response,
) -> TicketOut:  # fmt: skip
    """Record the centre's follow-up call and the caller's rating (回访)."""
    recorded = await run_command(
        app.give_feedback, ticket_id, body.to_command(), actor, expected_version=expected
    )
    return recorded_reply(recorded, key, zone, response)


@router.post("/{ticket_id}/praises", status_code=201, responses=ON_TICKET)
async def record_praise(
    *, ticket_id: TicketId, body: PraiseIn, actor: Praiser, key: Key, app: App, zone: Zone,
    expected: ExpectedVersion, response: Response,
) -> TicketOut:  # fmt: skip
    """Record praise phoned in, written or brought in person (表扬)."""
    recorded = await run_command(app.praise, ticket_id, body.to_command(), actor, expected_version=expected)
    return recorded_reply(recorded, key, zone, response)
