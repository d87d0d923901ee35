"""What the views read of each stored event is what the domain event says (the slim decoder agrees)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given

from application.handling import CaseHandling
from application.projections import TICKET_TOPICS
from application.view_events import VIEW_EVENTS, Received, ViewEventMapper
from application.views import EVENT_TYPES
from domain.ticket import Ticket
from domain.values import Location
from tests.builders import CENTRE, T0, FakeClock, hotline_ticket
from tests.read_side.histories import Step, play, steps

READ_BY_THE_VIEWS = {
    "occurred_at", "external_ref", "kind", "category", "urgency", "summary", "unit", "deadlines",
    "reached", "outcome", "caller_reached", "contact_confirmed", "solved", "satisfaction",
}  # fmt: skip


def test_every_ticket_event_type_has_a_view_event() -> None:
    assert {view.domain_type for view in VIEW_EVENTS} == set(EVENT_TYPES)
    assert len(TICKET_TOPICS) == len(EVENT_TYPES)


@given(history=steps)
def test_a_view_event_carries_what_its_domain_event_says(history: list[Step]) -> None:
    clock = FakeClock(T0)
    app = CaseHandling(clock=clock)
    play(app, clock, history)
    mapper = ViewEventMapper.like(app.mapper)

    for notification in app.recorder.select_notifications(start=None, limit=10_000):
        domain_event = app.mapper.to_domain_event(notification)
        view_event = mapper.to_domain_event(notification)

        assert isinstance(domain_event, view_event.domain_type)
        assert fields_read(view_event) == fields_read(domain_event)
        assert (view_event.originator_id, view_event.originator_version) == (
            domain_event.originator_id,
            domain_event.originator_version,
        )
        if isinstance(view_event, Received):
            assert isinstance(domain_event, Ticket.Received)
            assert view_event.has_caller is (domain_event.caller is not None)
            assert view_event.community == domain_event.location.community


def test_a_received_event_gives_the_caller_presence_and_the_community() -> None:
    app = CaseHandling()
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    (stored,) = app.recorder.select_events(ticket_id)

    received: Any = ViewEventMapper.like(app.mapper).to_domain_event(stored)

    assert received.has_caller is True
    assert received.community == hotline_ticket().location.community


def test_what_only_pythons_json_reads_is_read_the_same_way() -> None:
    """A NaN (in a field the views skip) is not JSON to msgspec: the decoder falls back to `json`."""
    app = CaseHandling()
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    (stored,) = app.recorder.select_events(ticket_id)
    location: Location = hotline_ticket().location
    with_nan = stored.state.replace(b'"lat":null', b'"lat":NaN')
    assert location.lat is None
    assert with_nan != stored.state
    mapper = ViewEventMapper.like(app.mapper)

    read = mapper.to_domain_event(replace(stored, state=with_nan))

    assert read == mapper.to_domain_event(stored)


def fields_read(event: object) -> dict[str, object]:
    return {name: getattr(event, name) for name in READ_BY_THE_VIEWS if hasattr(event, name)}
