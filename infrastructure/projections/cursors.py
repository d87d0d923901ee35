"""Opaque page cursors: the (received_at, id) of the last row a page showed, and which query it paged.

A cursor is good only for the query that gave it out (the same filters; the page size may change): used
with other filters it would quietly skip rows, or end a listing that never showed them."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
from datetime import UTC, datetime
from enum import Enum
from uuid import UUID

from domain.errors import InvalidInputError


def encode_cursor(received_at: datetime, ticket_id: UUID, query: object) -> str:
    raw = f"{received_at.isoformat()}|{ticket_id}|{_tag(query)}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, query: object) -> tuple[datetime, UUID]:
    """The position a cursor names, or an error naming the `cursor` field (also when `query` is not the one
    the cursor was given out for)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, ticket_id, tag = raw.split("|")
        received_at = datetime.fromisoformat(at)
        if received_at.tzinfo is None:
            raise ValueError(at)
        position = received_at.astimezone(UTC), UUID(ticket_id)  # OverflowError at the ends of time
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise InvalidInputError("cursor", "is not a cursor this server gave out") from None
    if tag != _tag(query):
        raise InvalidInputError(
            "cursor", "was given out for other filters: send the same ones, or start again without a cursor"
        )
    return position


def _tag(query: object) -> str:
    return hashlib.sha256(repr(_canonical(query)).encode()).hexdigest()[:12]


def _canonical(value: object) -> object:
    """`value` with every time in UTC and every enum as its value: the same filters give the same tag however
    a client wrote them (+08:00 or Z)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(_canonical(getattr(value, field.name)) for field in dataclasses.fields(value))
    if isinstance(value, tuple):
        return tuple(_canonical(item) for item in value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
