"""The global event feed: every event in commit order, each with its position in the log."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from api.http.deps import App, Zone, allowed
from api.http.problems import responses
from api.http.schemas.tickets import FeedEventOut, FeedOut, HistoryEntryOut
from application.handling import CaseHandling
from application.keys import ApiKey
from application.permissions import Operation
from application.privacy import SEES_PERSONAL_DATA
from application.views import HistoryEntry
from domain.ticket import Ticket

router = APIRouter(prefix="/v1/events", tags=["event feed"])
FeedReader = Annotated[ApiKey, allowed(Operation.READ_FEED)]
MAX_POSITION = 2**63 - 1


@router.get("", responses=responses(401, 403, 422))
def read_feed(
    key: FeedReader, app: App, zone: Zone,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION, description="The last position you have seen.")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> FeedOut:  # fmt: skip
    """Events after a position, in commit order; resume from `last_position` (positions may have gaps)."""
    notifications = app.recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)
    events = [_ticket_event(app.mapper.to_domain_event(n)) for n in notifications]
    names = {} if key.role in SEES_PERSONAL_DATA else _caller_names(app, events)
    items = [
        FeedEventOut(
            **HistoryEntryOut.of(HistoryEntry.of(e), key.role, zone, names.get(e.originator_id)).model_dump(),
            position=n.id,
        )
        for e, n in zip(events, notifications, strict=True)
    ]
    last = notifications[-1].id if notifications else None
    return FeedOut(items=items, next_cursor=str(last) if len(items) == limit else None, last_position=last)


def _ticket_event(event: object) -> Ticket.Event:
    assert isinstance(event, Ticket.Event)  # the hotline records nothing but ticket events
    return event


def _caller_names(app: CaseHandling, events: list[Ticket.Event]) -> dict[UUID, str | None]:
    """Each ticket's caller's name, to mask it in the texts of its later events: from its intake when that is
    on the page, else read from the store (one ticket's first event each)."""
    names: dict[UUID, str | None] = {
        e.originator_id: None if e.caller is None else e.caller.name
        for e in events
        if isinstance(e, Ticket.Received)
    }
    for event in events:
        if event.originator_id not in names:
            names[event.originator_id] = app.caller_name(event.originator_id)
    return names
