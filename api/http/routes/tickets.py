"""A ticket now or as it was, and its history: strongly consistent, read from the event store."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.http.deps import MAX_VERSION, App, TicketId, Zone, allowed
from api.http.problems import responses
from api.http.replies import ticket_reply
from api.http.schemas.fields import Moment
from api.http.schemas.tickets import HistoryEntryOut, HistoryOut, TicketOut
from application.keys import ApiKey
from application.permissions import Operation, require_unit
from application.privacy import caller_name_in
from application.read_models import DEFAULT_LIMIT, MAX_LIMIT
from domain.values import Role

router = APIRouter(prefix="/v1/tickets", tags=["tickets: queries"])
Reader = Annotated[ApiKey, allowed(Operation.READ_TICKETS)]
Version = Annotated[int | None, Query(ge=1, le=MAX_VERSION, description="After its N-th event.")]
AsOf = Annotated[Moment | None, Query(description="As it was at this business time (occurred_at).")]
KnownAt = Annotated[Moment | None, Query(description="As the system knew it at this time (recorded_at).")]


@router.get("/{ticket_id}", responses=responses(401, 403, 404, 422))
def get_ticket(
    *, ticket_id: TicketId, key: Reader, app: App, zone: Zone, response: Response,
    version: Version = None, as_of: AsOf = None, known_at: KnownAt = None,
) -> TicketOut:  # fmt: skip
    """The ticket now, after its N-th event, at a business time or as known at a recording time."""
    if key.role is Role.WORKER and (version, as_of, known_at) != (None, None, None):
        require_unit(
            key, app.ticket(ticket_id).unit
        )  # first: a refusal below would tell its versions and times
    state = app.ticket(ticket_id, version=version, as_of=as_of, known_at=known_at)
    require_unit(key, state.unit)
    return ticket_reply(state, key, zone, response)


@router.get("/{ticket_id}/history", responses=responses(401, 403, 404, 422))
def get_history(
    *, ticket_id: TicketId, key: Reader, app: App, zone: Zone,
    version: Version = None, as_of: AsOf = None, known_at: KnownAt = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(pattern=r"^\d{1,9}$", description="`next_cursor` of the previous page.")
    ] = None,
) -> HistoryOut:  # fmt: skip
    """Every event of the ticket, oldest first, optionally only those up to a version or a time; a page at a
    time, as every list (the cursor is the version of the page's last event)."""
    entries = app.history(ticket_id, version=version)
    require_unit(key, str(entries[0].data["unit"]))  # the intake's, always the first entry: no second read
    after = 0 if cursor is None else int(cursor)
    shown = [
        e
        for e in entries
        if e.version > after
        and (as_of is None or e.occurred_at <= as_of)
        and (known_at is None or e.recorded_at <= known_at)
    ]
    page, more = shown[:limit], len(shown) > limit
    caller_name = caller_name_in(entries[0].data)  # the intake's, always the first entry
    return HistoryOut(
        ticket_id=ticket_id,
        items=[HistoryEntryOut.of(e, key.role, zone, caller_name) for e in page],
        next_cursor=str(page[-1].version) if more else None,
    )
