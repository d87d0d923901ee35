"""Page cursors are opaque to clients, and anything a client makes of one is refused by name."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest

from domain.errors import InvalidInputError
from infrastructure.projections.cursors import decode_cursor, encode_cursor

QUERY = ("unit", "明星社区居委会")


@pytest.mark.parametrize(
    "at",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),  # before the first instant in UTC
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))),  # after the last one
    ],
)
def test_a_forged_cursor_at_the_ends_of_time_is_refused_by_name(at: datetime) -> None:
    forged = encode_cursor(at, uuid4(), QUERY)  # anyone can: the format and the tag are no secret

    with pytest.raises(InvalidInputError) as refused:
        decode_cursor(forged, QUERY)

    assert refused.value.field == "cursor"


def test_a_cursor_names_the_position_it_was_given_out_at() -> None:
    at, ticket_id = datetime(2024, 1, 10, 9, tzinfo=timezone(timedelta(hours=8))), uuid4()

    assert decode_cursor(encode_cursor(at, ticket_id, QUERY), QUERY) == (at, ticket_id)
