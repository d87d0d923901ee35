"""Rebuilding the views from the log gives back the same rows; interrupted, it stays consistent."""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

import pytest

from application.handling import CaseHandling
from application.projections import PROJECTIONS
from infrastructure.projections.keeper import ViewsBusyError, keeping_the_views
from infrastructure.projections.operations import rebuild
from infrastructure.projections.read_side import ProjectedReadSide, open_read_side
from infrastructure.projections.views import open_view
from infrastructure.stores import Store
from infrastructure.wiring import open_case_handling
from tests.builders import FakeClock
from tests.read_side.histories import play
from tests.read_side.test_exactly_once import busy_history


class InterruptedError(RuntimeError):
    pass


def rows_of(read_side: ProjectedReadSide, tickets: list[UUID]) -> list[dict[UUID, Any]]:
    return [dict(projection.rows.rows_for(tickets)) for projection in read_side.projections]


def index_names(view: Any) -> set[str]:
    """The view table's secondary indexes, as the database lists them."""
    with view.datastore.transaction(commit=False) as cursor:
        if view.dialect.name == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", [view.table.name]
            )
            return {row["name"] for row in cursor.fetchall()} - {f"sqlite_autoindex_{view.table.name}_1"}
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = %s AND tablename = %s",
            [view.datastore.schema, view.table.name],
        )
        return {row["indexname"] for row in cursor.fetchall()} - {f"{view.table.name}_pkey"}


def declared_indexes(view: Any) -> set[str]:
    return {f"{view.table.name}_{suffix}" for suffix in view.table.indexes}


def test_a_rebuild_gives_back_the_rows_the_views_had(
    store: Store, app: CaseHandling, clock: FakeClock, read_side: ProjectedReadSide
) -> None:
    tickets = play(app, clock, busy_history(9))
    read_side.catch_up()
    before = rows_of(read_side, tickets)

    read = rebuild(store, app, PROJECTIONS, batch_size=7)

    assert read == app.recorder.max_notification_id()
    assert rows_of(read_side, tickets) == before
    assert [p.view.max_tracking_id(app.name) for p in read_side.projections] == [read, read]


def test_an_interrupted_rebuild_stays_consistent_and_keeps_its_indexes(
    durable_store: Store, clock: FakeClock
) -> None:
    app = CaseHandling(env=durable_store.env, clock=clock)
    read_side = open_read_side(durable_store, app, follow=True)
    tickets = play(app, clock, busy_history(9))
    read_side.catch_up()
    before = rows_of(read_side, tickets)

    def interrupt_after_two_batches(position: int) -> None:
        if position > 7:
            raise InterruptedError(position)

    with pytest.raises(InterruptedError):
        rebuild(durable_store, app, PROJECTIONS, interrupt_after_two_batches, batch_size=7)

    applied = Counter(n.originator_id for n in app.recorder.select_notifications(start=None, limit=14))
    for projection in read_side.projections:
        assert projection.view.max_tracking_id(app.name) == 14
        assert {t: row.version for t, row in projection.rows.rows_for(tickets).items()} == applied
        assert index_names(projection.view) == declared_indexes(projection.view)
    rebuild(durable_store, app, PROJECTIONS, batch_size=7)
    assert rows_of(read_side, tickets) == before
    read_side.close()
    app.close()


def test_a_view_says_whether_its_tables_and_indexes_are_there_without_making_them(
    durable_store: Store,
) -> None:
    looking = [open_view(durable_store, p, create=False) for p in PROJECTIONS]
    assert [view.is_created() for view in looking] == [False, False]

    kept = [open_view(durable_store, p) for p in PROJECTIONS]
    assert [view.is_created() for view in looking] == [True, True]
    assert [view.missing_indexes() for view in looking] == [[], []]

    for view in kept:
        view.drop_indexes()  # as a rebuild does, then killed before building them again
    assert [set(view.missing_indexes()) for view in looking] == [declared_indexes(v) for v in kept]
    assert all(index_names(view) == set() for view in kept)  # looking built none of them


def test_a_rebuild_waits_for_no_one_while_another_process_keeps_the_views(
    durable_store: Store, clock: FakeClock
) -> None:
    app = open_case_handling(durable_store, clock=clock)
    read_side = open_read_side(durable_store, app, follow=True)
    tickets = play(app, clock, busy_history(5))
    read_side.catch_up()
    before = rows_of(read_side, tickets)

    with keeping_the_views(durable_store), pytest.raises(ViewsBusyError):  # `hotline worker` is running
        rebuild(durable_store, app, PROJECTIONS)

    assert rows_of(read_side, tickets) == before  # nothing forgotten
    assert rebuild(durable_store, app, PROJECTIONS) == app.recorder.max_notification_id()  # free again
    read_side.close()


def test_only_one_process_keeps_the_views(durable_store: Store) -> None:
    with keeping_the_views(durable_store), pytest.raises(ViewsBusyError), keeping_the_views(durable_store):
        pass  # a second worker (or server on SQLite) is refused at once
    with keeping_the_views(durable_store):
        pass  # released when the first one stopped
