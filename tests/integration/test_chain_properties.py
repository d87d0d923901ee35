"""Any honest history verifies, in any batch size; any single changed byte is found at its event."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from application.audit.verification import verify_chain
from application.handling import CaseHandling
from domain.errors import TicketError
from domain.values import Satisfaction
from infrastructure.audit.sqlite_chain import ChainedSQLiteApplicationRecorder
from infrastructure.stores import CHAINED_RECORDERS, Store
from infrastructure.wiring import open_case_handling
from tests.builders import (
    CENTRE,
    WORKER,
    FakeClock,
    coordination,
    feedback,
    hotline_ticket,
    praise,
    reached,
    site_visit,
    solved,
)
from tests.integration.raw_database import RawDatabase

Step = Callable[[CaseHandling, UUID, FakeClock], object]
STEPS: list[Step] = [
    lambda app, t, clock: app.contact(t, reached(clock.now - timedelta(minutes=3)), WORKER),
    lambda app, t, clock: app.visit_site(t, site_visit(clock.now), WORKER),
    lambda app, t, clock: app.coordinate(t, coordination(clock.now), WORKER),
    lambda app, t, clock: app.resolve(t, solved(clock.now), WORKER),
    lambda app, t, clock: app.give_feedback(t, feedback(clock.now, Satisfaction.UNSATISFIED), CENTRE),
    lambda app, t, clock: app.give_feedback(t, feedback(clock.now, Satisfaction.SATISFIED), CENTRE),
    lambda app, t, clock: app.praise(t, praise(clock.now), CENTRE),
]
histories = st.lists(
    st.tuples(st.integers(0, 3), st.integers(-1, len(STEPS) - 1), st.integers(1, 600)),
    min_size=1,
    max_size=25,
)


def in_memory_sqlite() -> Store:
    return Store(
        "sqlite",
        {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": f"file:{uuid.uuid4().hex}?mode=memory&cache=shared",
            "APPLICATION_RECORDER_TOPIC": CHAINED_RECORDERS["sqlite"],
        },
    )


def record(history: list[tuple[int, int, int]]) -> CaseHandling:
    """Tickets received and handled in the given order; refused commands record nothing."""
    clock = FakeClock()
    app = open_case_handling(in_memory_sqlite(), clock=clock)
    tickets: list[UUID] = []
    for ticket_index, step, minutes in history:
        clock.advance(minutes=minutes)
        if step < 0 or not tickets:
            tickets.append(app.receive(hotline_ticket(occurred_at=clock.now), CENTRE).ticket.id)
            continue
        with contextlib.suppress(TicketError):
            STEPS[step](app, tickets[ticket_index % len(tickets)], clock)
    return app


@given(history=histories, batch_size=st.integers(1, 7))
def test_any_honest_history_verifies_whatever_the_batch_size(
    history: list[tuple[int, int, int]], batch_size: int
) -> None:
    app = record(history)
    assert isinstance(app.recorder, ChainedSQLiteApplicationRecorder)

    result = verify_chain(app.recorder, batch_size=batch_size)

    assert result.ok
    assert result.events_checked == app.recorder.max_notification_id()
    app.close()


@given(history=histories, pick=st.integers(0, 10_000))
def test_a_changed_byte_anywhere_is_found_at_its_event(
    history: list[tuple[int, int, int]], pick: int
) -> None:
    app = record(history)
    assert isinstance(app.recorder, ChainedSQLiteApplicationRecorder)
    db = RawDatabase(Store("sqlite", {"SQLITE_DBNAME": app.recorder.datastore.pool.db_name}), app)
    positions = db.positions()
    target = positions[pick % len(positions)]
    db.flip_payload_byte(target)

    result = verify_chain(app.recorder, batch_size=4)

    assert result.first_bad_position == target
    app.close()
