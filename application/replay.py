"""Rebuilding a ticket from any subset of its events, for replay on the business-time axis."""

from __future__ import annotations

from collections.abc import Iterable

from domain.ticket import Ticket


def fold(events: Iterable[Ticket.Event]) -> Ticket | None:
    """The ticket as these events, applied in recorded order, make it; None before receipt.

    Unlike the repository, this accepts gaps in the version sequence: replaying "what had happened
    by time T" skips events entered late whose business time is after T.
    """
    ticket: Ticket | None = None
    for event in events:
        if ticket is None:
            if not isinstance(event, Ticket.Received):
                continue  # nothing happens to a ticket that was not received
            ticket = event.mutate(None)
        else:
            event.apply(ticket)
            ticket.version = event.originator_version
            ticket.modified_on = event.timestamp
    return ticket
