"""The global event feed for integrators and auditors: every event in commit order, with its position."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.handling import CaseHandling
from application.views import HistoryEntry
from domain.ticket import Ticket
from domain.values import Role


@dataclass(frozen=True)
class FeedEntry:
    position: int  # in the log: commit order, with gaps
    entry: HistoryEntry
    caller_name: str | None  # as the ticket's intake gave it, to be masked in this event's texts too


@dataclass(frozen=True)
class FeedPage:
    entries: list[FeedEntry]
    last_position: int  # where the next page starts: the last event's position, or `after` on an empty page
    more: bool  # events were recorded after this page's last one (one more was read to know)


class BeyondTheLogError(ValueError):
    """A position no event was ever at: answering an empty page would let a mistyped position skip every
    event recorded up to it."""

    def __init__(self, end: int) -> None:
        super().__init__(f"is beyond the log's last position ({end})")


def feed_page(app: CaseHandling, *, after: int, limit: int, role: Role) -> FeedPage:
    """Up to `limit` events after the position `after`, oldest first, for a reader in `role`; a position
    beyond the log's end is refused (BeyondTheLogError)."""
    read = app.recorder.select_notifications(start=after, limit=limit + 1, inclusive_of_start=False)
    notifications = read[:limit]
    if not notifications and after > (end := app.recorder.max_notification_id() or 0):
        raise BeyondTheLogError(end)
    events = [_ticket_event(app.mapper.to_domain_event(n)) for n in notifications]
    names = _caller_names(app, events, role)
    entries = [
        FeedEntry(n.id, HistoryEntry.of(e), names.get(e.originator_id))
        for n, e in zip(notifications, events, strict=True)
    ]
    return FeedPage(entries, notifications[-1].id if notifications else after, more=len(read) > limit)


def _ticket_event(event: object) -> Ticket.Event:
    assert isinstance(event, Ticket.Event)  # the hotline records nothing but ticket events
    return event


def _caller_names(app: CaseHandling, events: list[Ticket.Event], role: Role) -> dict[UUID, str | None]:
    """Each ticket's caller's name, for masking it: from its intake when that is on the page, else as the
    application keeps it (none for a reader who sees personal data)."""
    names: dict[UUID, str | None] = {
        e.originator_id: None if e.caller is None else e.caller.name
        for e in events
        if isinstance(e, Ticket.Received)
    }
    missing = {e.originator_id for e in events} - names.keys()
    return names | dict(app.caller_names_to_mask(role, missing))
