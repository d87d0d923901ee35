"""Opaque page cursors: the (received_at, id) of the last row a page showed."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from uuid import UUID

from domain.errors import InvalidInputError


def encode_cursor(received_at: datetime, ticket_id: UUID) -> str:
    raw = f"{received_at.isoformat()}|{ticket_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    """The position a cursor names, or an error naming the `cursor` field."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, ticket_id = raw.split("|")
        received_at = datetime.fromisoformat(at)
        if received_at.tzinfo is None:
            raise ValueError(at)
        return received_at, UUID(ticket_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInputError("cursor", "is not a cursor this server gave out") from None
