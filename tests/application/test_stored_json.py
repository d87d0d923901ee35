"""The application's faster transcoder reads back exactly what the library's JSONTranscoder reads."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError
from hypothesis import given
from hypothesis import strategies as st

from application.handling import CaseHandling
from application.stored_json import OrjsonDecodingTranscoder
from domain.values import Actor, Caller, Location, Outcome, Role, Satisfaction
from tests.builders import T0, FakeClock
from tests.read_side.histories import Step, play, steps

APP = CaseHandling()
FAST = APP.mapper.transcoder
LIBRARY = JSONTranscoder()
APP.register_transcodings(LIBRARY)

names = st.text(max_size=8)
numbers = st.integers() | st.integers(-(2**80), 2**80) | st.floats(allow_nan=False)
scalars = st.none() | st.booleans() | numbers | names | st.from_regex(r"\A[0-9]{15,25}\Z")
typed = (
    st.datetimes(timezones=st.timezones())
    | st.uuids()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.sampled_from([*Role, *Outcome, *Satisfaction])
    | st.builds(Actor, names, st.sampled_from(Role), names)
    | st.builds(Location, names, names, st.none() | names, st.none() | st.floats(allow_nan=False))
    | st.builds(Caller, st.none() | names, st.none() | names, st.booleans())
)
# Plain dicts that look a little like encoded objects must stay plain dicts, as the library leaves them.
lookalikes = (
    st.fixed_dictionaries({"_type_": names})
    | st.fixed_dictionaries({"_data_": scalars, "other": scalars})
    | st.fixed_dictionaries({"_type_": st.lists(scalars, max_size=2), "other": scalars})
)
values = st.recursive(
    scalars | typed | lookalikes,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=4),
    max_leaves=20,
)


def test_the_application_reads_its_events_with_the_faster_transcoder() -> None:
    assert isinstance(FAST, OrjsonDecodingTranscoder)


@given(value=st.dictionaries(names, values, max_size=6))
def test_any_stored_state_decodes_to_what_the_library_decodes(value: dict[str, Any]) -> None:
    stored = LIBRARY.encode(value)

    assert FAST.encode(value) == stored  # the stored format is the library's, unchanged
    assert FAST.decode(stored) == LIBRARY.decode(stored)


@given(history=steps)
def test_every_recorded_ticket_event_decodes_to_what_the_library_decodes(history: list[Step]) -> None:
    clock = FakeClock(T0)
    app = CaseHandling(clock=clock)
    play(app, clock, history)

    for notification in app.recorder.select_notifications(start=None, limit=10_000):
        assert FAST.decode(notification.state) == LIBRARY.decode(notification.state)


@pytest.mark.parametrize(
    "stored",
    [
        b'{"big":123456789012345678901234567890}',
        b'{"lone":"\\ud800"}',
        b'{"d":{"_type_":"decimal_str","_data_":"1.5"}}',
    ],
)
def test_what_orjson_refuses_is_still_read_as_the_library_reads_it(stored: bytes) -> None:
    assert FAST.decode(stored) == LIBRARY.decode(stored)


def test_not_a_number_is_still_read_as_the_library_reads_it() -> None:
    stored = LIBRARY.encode({"lat": math.nan, "amount": Decimal("2.50")})

    decoded = FAST.decode(stored)

    assert math.isnan(decoded["lat"])
    assert decoded["amount"] == Decimal("2.50")


def test_an_unregistered_type_is_refused_as_the_library_refuses_it() -> None:
    stored = b'{"x":{"_type_":"no_such_type","_data_":1}}'

    with pytest.raises(TranscodingNotRegisteredError, match="no_such_type"):
        FAST.decode(stored)
