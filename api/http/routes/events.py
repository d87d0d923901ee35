"""The global event feed: every event in commit order, each with its position in the log."""

from __future__ import annotations

from datetime import timezone
from typing import Annotated

from fastapi import APIRouter, Query

from api.http.deps import App, Zone, allowed
from api.http.problems import responses
from api.http.schemas.tickets import FeedEventOut, FeedOut, HistoryEntryOut
from application.keys import ApiKey
from application.permissions import Operation
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
    items = [_feed_event(app.mapper.to_domain_event(n), n.id, key, zone) for n in notifications]
    last = notifications[-1].id if notifications else None
    return FeedOut(items=items, next_cursor=str(last) if len(items) == limit else None, last_position=last)


def _feed_event(event: object, position: int, key: ApiKey, zone: timezone) -> FeedEventOut:
    assert isinstance(event, Ticket.Event)  # the hotline records nothing but ticket events
    entry = HistoryEntryOut.of(HistoryEntry.of(event), key.role, zone)
    return FeedEventOut(**entry.model_dump(), position=position)
