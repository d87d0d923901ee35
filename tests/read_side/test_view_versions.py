"""Each version of a projection keeps its rows and its position apart: rows folded by one release are never
read as another's, and a new version fills itself from the log."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from application.handling import CaseHandling
from application.projections import PROJECTIONS, TicketProjection
from infrastructure.projections.follower import LogFollower
from infrastructure.projections.read_side import ProjectedReadSide
from infrastructure.projections.views import open_view, view_class
from infrastructure.stores import Store
from tests.builders import FakeClock
from tests.read_side.histories import play
from tests.read_side.test_exactly_once import busy_history


@pytest.fixture
def store(durable_store: Store) -> Store:
    """The two real databases: a version's tables and position are what this is about."""
    return durable_store


def next_version(store: Store, projection: type[TicketProjection[Any]]) -> TicketProjection[Any]:
    """The projection as a later release would have it: the same fold, the version raised by one."""
    version = projection.version + 1
    later: type[TicketProjection[Any]] = type(
        f"Later{projection.__name__}", (projection,), {"name": projection.name, "version": version}
    )
    current_view = view_class(store, projection)
    table = current_view.table  # type: ignore[attr-defined]
    later_table = replace(table, name=f"{projection.name}_v{version}")
    later_view = type(f"Later{current_view.__name__}", (current_view,), {"table": later_table})
    return later(open_view(store, later, later_view))


@pytest.mark.parametrize("projection", PROJECTIONS, ids=lambda p: p.name)
def test_a_new_version_starts_empty_and_fills_itself_from_the_log(
    store: Store,
    app: CaseHandling,
    clock: FakeClock,
    read_side: ProjectedReadSide,
    projection: type[TicketProjection[Any]],
) -> None:
    tickets = play(app, clock, busy_history(6))
    read_side.catch_up()
    current = next(p.rows for p in read_side.projections if isinstance(p, projection))
    log_end = app.recorder.max_notification_id()
    assert current.max_tracking_id(app.name) == log_end

    later = next_version(store, projection)

    assert later.rows.max_tracking_id(app.name) is None  # not the older version's position
    assert later.rows.rows_for(tickets) == {}
    LogFollower(app, [later]).catch_up()
    assert later.rows.max_tracking_id(app.name) == log_end
    assert later.rows.rows_for(tickets) == current.rows_for(tickets)
    assert current.max_tracking_id(app.name) == log_end  # the older version is left as it was
