"""For any legal history, each view holds exactly what a straightforward fold of the same events gives."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from application.handling import CaseHandling
from application.read_models import AuditHeadline, AuditQuery, BoardFilter
from infrastructure.projections.read_side import open_read_side
from infrastructure.stores import store_for
from tests.builders import T0, FakeClock
from tests.read_side.expected import expected_audit_facts, expected_board_row, last_positions
from tests.read_side.histories import Step, play, steps


@given(history=steps, batch_size=st.integers(1, 7), checked_after=st.integers(0, 40))
def test_every_view_row_equals_the_fold_of_its_tickets_events(
    history: list[Step], batch_size: int, checked_after: int
) -> None:
    store = store_for("memory://")
    clock = FakeClock(T0)
    app = CaseHandling(env=store.env, clock=clock)
    read_side = open_read_side(store, app)
    assert read_side.follower is not None
    read_side.follower.batch_size = batch_size
    read_side.catch_up()  # part of the history applied now, the rest later: batches cross tickets
    tickets = play(app, clock, history[:checked_after]) + play(app, clock, history[checked_after:])
    read_side.catch_up()

    positions = last_positions(app)
    board, audit = read_side.projections[0].view, read_side.projections[1].view
    assert board.rows_for(tickets) == {t: expected_board_row(app, t, positions[t]) for t in tickets}
    expected_facts = {t: expected_audit_facts(app, t, positions[t]) for t in tickets}
    assert audit.rows_for(tickets) == expected_facts
    assert read_side.board.count(BoardFilter(), now=clock.now) == len(tickets)
    later = clock.now + timedelta(days=3)
    assert read_side.audit.headline(AuditQuery(), now=later) == AuditHeadline.of(
        expected_facts.values(), later
    )
