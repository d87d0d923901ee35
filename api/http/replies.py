"""Turning a use case's result into the HTTP reply: the ticket, its ETag and where the event landed."""

from __future__ import annotations

from datetime import timezone

from fastapi import Response

from api.http.schemas.tickets import TicketOut
from application.handling import Recorded
from application.keys import ApiKey
from application.views import TicketState

POSITION_HEADER = "X-Hotline-Position"


def ticket_reply(state: TicketState, key: ApiKey, zone: timezone, response: Response) -> TicketOut:
    """The ticket as `key` may see it, with its version as the ETag."""
    response.headers["ETag"] = f'"{state.version}"'
    return TicketOut.of(state, key.role, zone)


def recorded_reply(recorded: Recorded, key: ApiKey, zone: timezone, response: Response) -> TicketOut:
    """A command's reply; its log position lets the client wait for the board to show it."""
    if recorded.position is not None:
        response.headers[POSITION_HEADER] = str(recorded.position)
    return ticket_reply(recorded.ticket, key, zone, response)
