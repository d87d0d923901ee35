"""Crashing in the middle of a stream and starting again applies every event exactly once."""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking

from application.handling import CaseHandling
from application.projections import StatusBoardProjection
from infrastructure.projections.follower import LogFollower
from infrastructure.projections.views import open_view, view_class
from infrastructure.stores import Store
from tests.builders import FakeClock
from tests.read_side.histories import Step, play


class CrashError(RuntimeError):
    pass


def busy_history(tickets: int) -> list[Step]:
    """Every ticket received, contacted, resolved, praised: four events each, interleaved."""
    steps = [Step("receive", 0, 0, 1) for _ in range(tickets)]
    for action in ("contact", "resolve", "feedback", "praise"):
        steps += [Step(action, i, 1, 1) for i in range(tickets)]
    return steps


def events_per_ticket(app: CaseHandling) -> Counter[UUID]:
    notifications = app.recorder.select_notifications(start=None, limit=1_000_000)
    return Counter(n.originator_id for n in notifications)  # type: ignore[misc]


def crashing_view(store: Store, crash_on_commit: int) -> type[Any]:
    """The board's view, failing inside its write transaction after the rows, before the position."""
    base: Any = view_class(store, StatusBoardProjection)

    class Crashing(base):  # type: ignore[misc]
        commits = 0

        def _insert_tracking(self, cursor: object, tracking: Tracking) -> None:
            type(self).commits += tracking.application_name == CaseHandling.name  # not the table's setup
            if type(self).commits == crash_on_commit:
                raise CrashError(f"crash while committing up to {tracking.notification_id}")
            super()._insert_tracking(cursor, tracking)

    return Crashing


def test_a_crash_inside_a_batch_then_a_restart_applies_every_event_once(
    durable_store: Store, clock: FakeClock
) -> None:
    app = CaseHandling(env=durable_store.env, clock=clock)
    tickets = play(app, clock, busy_history(12))
    board = StatusBoardProjection(
        open_view(durable_store, StatusBoardProjection, crashing_view(durable_store, 4))
    )

    with pytest.raises(CrashError):
        LogFollower(app, [board], batch_size=5).catch_up()
    stopped_at = board.view.max_tracking_id(app.name)
    restarted = StatusBoardProjection(open_view(durable_store, StatusBoardProjection))
    LogFollower(app, [restarted], batch_size=7).catch_up()

    rows = restarted.rows.rows_for(tickets)
    assert stopped_at == 15  # three batches of five committed, the fourth rolled back whole
    assert {t: rows[t].version for t in tickets} == events_per_ticket(app)
    assert all(row.praise_count == 1 for row in rows.values())
    assert restarted.view.max_tracking_id(app.name) == app.recorder.max_notification_id()
    app.close()
