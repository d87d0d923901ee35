"""Replay on both time axes (business time and recording time) agrees with an independent reference fold."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from application.errors import TicketNotFoundError
from application.handling import CaseHandling
from application.views import HistoryEntry, TicketState
from domain.errors import TicketError
from domain.values import Satisfaction, Status
from infrastructure.stores import store_for
from infrastructure.wiring import open_case_handling
from tests.builders import (
    CENTRE,
    T0,
    WORKER,
    FakeClock,
    coordination,
    feedback,
    hotline_ticket,
    not_reached,
    praise,
    reached,
    site_visit,
    solved,
)

Command = Callable[[CaseHandling, UUID, datetime], object]
COMMANDS: list[Command] = [
    lambda app, t, at: app.contact(t, reached(at), WORKER),
    lambda app, t, at: app.contact(t, not_reached(at), WORKER),
    lambda app, t, at: app.visit_site(t, site_visit(at), WORKER),
    lambda app, t, at: app.coordinate(t, coordination(at), WORKER),
    lambda app, t, at: app.resolve(t, solved(at), WORKER),
    lambda app, t, at: app.give_feedback(t, feedback(at, Satisfaction.UNSATISFIED), CENTRE),
    lambda app, t, at: app.give_feedback(t, feedback(at, Satisfaction.BASICALLY_SATISFIED), CENTRE),
    lambda app, t, at: app.give_feedback(t, feedback(at, None), CENTRE),
    lambda app, t, at: app.praise(t, praise(at), CENTRE),
]
# (command, minutes until it is recorded, minutes it happened before it was recorded: late entry)
steps = st.lists(
    st.tuples(st.integers(0, len(COMMANDS) - 1), st.integers(1, 240), st.integers(0, 600)), max_size=20
)
SATISFIED = {"satisfied", "basically_satisfied"}


def reference(entries: Sequence[HistoryEntry]) -> dict[str, object] | None:
    """What DOMAIN.md says the events make of a ticket, written apart from the aggregate."""
    state: dict[str, object] | None = None
    for entry in entries:
        if entry.type == "received":
            state = dict(FRESH, has_caller=entry.data["caller"] is not None, version=1)
        elif state is not None:
            state["version"] = entry.version
            apply(state, entry)
    if state is not None:
        del state["has_caller"]
    return state


FRESH: dict[str, object] = {
    "status": "received", "responded_at": None, "resolved_at": None, "closed_at": None, "outcome": None,
    "satisfaction": None, "rework_count": 0, "praise_count": 0,
}  # fmt: skip


def apply(state: dict[str, object], entry: HistoryEntry) -> None:
    data, at, kind = entry.data, entry.occurred_at, entry.type
    if kind == "contacted":
        state["status"] = "resolved" if state["status"] == "resolved" else "in_progress"
        responded = state["responded_at"]
        if data["reached"] and (responded is None or at < responded):  # type: ignore[operator]
            state["responded_at"] = at  # the first response is the earliest
    elif kind in ("site-visited", "coordinated"):
        state["status"] = "in_progress"
    elif kind == "resolved":
        closes = not state["has_caller"]
        state.update(outcome=data["outcome"], resolved_at=at, status="closed" if closes else "resolved")
        state["closed_at"] = at if closes else None
    elif kind == "feedback-given" and data["satisfaction"] is not None:
        state["satisfaction"] = data["satisfaction"]
        if data["satisfaction"] in SATISFIED:
            state.update(status="closed", closed_at=at)
        else:
            state.update(status="in_progress", rework_count=int(str(state["rework_count"])) + 1)
    elif kind == "praised":
        state["praise_count"] = int(str(state["praise_count"])) + 1


def observed(app: CaseHandling, ticket_id: UUID, **moment: datetime | int) -> dict[str, object] | None:
    try:
        state: TicketState = app.ticket(ticket_id, **moment)  # type: ignore[arg-type]
    except TicketNotFoundError:
        return None
    return {
        "status": state.status.value, "version": state.version, "responded_at": state.responded_at,
        "resolved_at": state.resolved_at, "closed_at": state.closed_at,
        "outcome": state.outcome.value if state.outcome else None,
        "satisfaction": state.satisfaction.value if state.satisfaction else None,
        "rework_count": state.rework_count, "praise_count": state.praise_count,
    }  # fmt: skip


def handled(history: list[tuple[int, int, int]]) -> tuple[CaseHandling, UUID]:
    clock = FakeClock()
    app = open_case_handling(store_for("memory://"), clock=clock)
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    for command, wait, lag in history:
        now = clock.advance(minutes=wait)
        with contextlib.suppress(TicketError):  # refused: nothing recorded, which the replay must also show
            COMMANDS[command](app, ticket_id, max(T0, now - timedelta(minutes=lag)))
    return app, ticket_id


def moments(entries: Sequence[HistoryEntry]) -> Iterator[datetime]:
    """Every time at which the answer can change, and a minute either side of it."""
    for entry in entries:
        for moment in (entry.occurred_at, entry.recorded_at):
            yield from (moment - timedelta(minutes=1), moment, moment + timedelta(minutes=1))


@given(history=steps)
def test_replay_as_of_a_business_time_matches_the_reference(history: list[tuple[int, int, int]]) -> None:
    app, ticket_id = handled(history)
    entries = app.history(ticket_id)

    for moment in moments(entries):
        expected = reference([e for e in entries if e.occurred_at <= moment])
        assert observed(app, ticket_id, as_of=moment) == expected


@given(history=steps)
def test_replay_as_known_at_a_recording_time_matches_the_reference(
    history: list[tuple[int, int, int]],
) -> None:
    app, ticket_id = handled(history)
    entries = app.history(ticket_id)

    for moment in moments(entries):
        expected = reference([e for e in entries if e.recorded_at <= moment])
        assert observed(app, ticket_id, known_at=moment) == expected


@given(history=steps)
def test_replay_after_the_nth_event_matches_the_reference(history: list[tuple[int, int, int]]) -> None:
    app, ticket_id = handled(history)
    entries = app.history(ticket_id)

    for version in range(1, len(entries) + 1):
        assert observed(app, ticket_id, version=version) == reference(entries[:version])
        assert [e.version for e in app.history(ticket_id, version=version)] == list(range(1, version + 1))


@pytest.fixture
def late_site_visit() -> tuple[CaseHandling, UUID]:
    """A contact at 10:00 recorded at once; at 12:00 a site visit made at 09:30 is entered late."""
    clock = FakeClock()
    app = open_case_handling(store_for("memory://"), clock=clock)
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    app.contact(ticket_id, reached(clock.advance(hours=1)), WORKER)
    clock.advance(hours=2)
    app.visit_site(ticket_id, site_visit(T0 + timedelta(minutes=30)), WORKER)
    return app, ticket_id


def test_a_late_site_visit_counts_as_of_when_it_happened(late_site_visit: tuple[CaseHandling, UUID]) -> None:
    app, ticket_id = late_site_visit

    at_0945 = app.ticket(ticket_id, as_of=T0 + timedelta(minutes=45))

    assert at_0945.status is Status.IN_PROGRESS  # the visit had happened
    assert at_0945.responded_at is None  # the contact had not
    assert at_0945.version == 3


def test_a_late_site_visit_is_unknown_before_it_was_recorded(
    late_site_visit: tuple[CaseHandling, UUID],
) -> None:
    app, ticket_id = late_site_visit

    known_at_1100 = app.ticket(ticket_id, known_at=T0 + timedelta(hours=2))
    known_at_0945 = app.ticket(ticket_id, known_at=T0 + timedelta(minutes=45))

    assert known_at_1100.version == 2
    assert known_at_1100.responded_at == T0 + timedelta(hours=1)
    assert known_at_0945.status is Status.RECEIVED  # the system knew nothing of the visit yet
    assert [e.type for e in app.history(ticket_id)] == ["received", "contacted", "site-visited"]
