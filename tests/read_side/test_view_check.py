"""The views checked against the log: rows that agree pass, and every kind of tampering is named, while the
keeper of the views may go on."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import uuid4

from application.handling import CaseHandling
from application.projections import PROJECTIONS, ResponseAuditProjection, StatusBoardProjection
from application.read_models import AuditFacts, BoardRow
from application.view_check import check_view
from domain.values import Status
from infrastructure.projections.operations import check_views, created_projections, log_by_ticket
from infrastructure.projections.read_side import ProjectedReadSide, open_read_side
from infrastructure.projections.tables import AUDIT
from infrastructure.stores import Store
from infrastructure.wiring import open_case_handling
from tests.builders import FakeClock
from tests.read_side.histories import play
from tests.read_side.test_exactly_once import busy_history


def test_views_kept_from_the_log_agree_with_it_on_every_store(
    app: CaseHandling, clock: FakeClock, read_side: ProjectedReadSide
) -> None:
    play(app, clock, busy_history(6))
    read_side.catch_up()

    checks = check_views(app, read_side.projections)

    assert [(c.name, c.row_count, c.agrees) for c in checks] == [
        ("status_board", 6, True),
        ("response_audit", 6, True),
    ]


def test_every_kind_of_tampering_with_a_view_is_named(
    app: CaseHandling, clock: FakeClock, read_side: ProjectedReadSide
) -> None:
    tickets = play(app, clock, busy_history(5))
    read_side.catch_up()
    log, position = log_by_ticket(app), app.recorder.max_notification_id() or 0
    board = {row.id: row for row in read_side.projections[0].rows.all_rows() if isinstance(row, BoardRow)}
    edited, dropped, rolled_back = tickets[0], tickets[1], tickets[2]
    earlier = StatusBoardProjection.fold(None, log[rolled_back][:2])  # as if its resolution never happened
    invented = replace(board[tickets[3]], id=uuid4())
    rows: list[Any] = [
        replace(board[edited], status=Status.CLOSED, rework_count=0, satisfaction=None),
        replace(earlier, position=position),  # claims to be current, so it must hold every event
        *(board[t] for t in tickets[3:]),
        invented,
    ]

    check = check_view(StatusBoardProjection, position, rows, log)

    assert not check.agrees
    assert set(check.differing) == {edited, rolled_back}
    assert check.missing == [dropped]
    assert check.invented == [invented.id]


def test_a_row_that_cannot_be_read_back_is_named_not_a_crash(durable_store: Store, clock: FakeClock) -> None:
    app = open_case_handling(durable_store, clock=clock)
    read_side = open_read_side(durable_store, app, follow=True)
    tickets = play(app, clock, busy_history(3))
    read_side.catch_up()
    view = read_side.projections[1].view
    rating = '[["2024-01-01T00:00:00+08:00", true, true, true, "dissatisfied"]]'  # no fold writes that
    with view.datastore.transaction(commit=True) as cursor:
        cursor.execute(f"UPDATE {view._table_name(AUDIT)} SET feedback = '{rating}'")

    board, audit = check_views(app, created_projections(durable_store, PROJECTIONS))

    assert board.agrees
    assert sorted(audit.unreadable) == sorted(str(t) for t in tickets)
    assert (audit.differing, audit.missing, audit.row_count) == ([], [], 3)
    read_side.close()
    app.close()


def test_rows_newer_than_the_views_position_are_checked_up_to_their_own(
    app: CaseHandling, clock: FakeClock, read_side: ProjectedReadSide
) -> None:
    play(app, clock, busy_history(3))
    read_side.catch_up()
    rows = [row for row in read_side.projections[1].rows.all_rows() if isinstance(row, AuditFacts)]
    position_read_first = min(row.position for row in rows) - 1  # the keeper moved on meanwhile
    play(app, clock, busy_history(2))  # and more was recorded before the log was read

    check = check_view(ResponseAuditProjection, position_read_first, rows, log_by_ticket(app))

    assert check.agrees
    assert check.row_count == 3


def test_a_row_edited_in_the_database_is_found_by_a_check_that_opens_the_views_anew(
    durable_store: Store, clock: FakeClock
) -> None:
    app = open_case_handling(durable_store, clock=clock)
    read_side = open_read_side(durable_store, app, follow=True)
    tickets = play(app, clock, busy_history(4))
    read_side.catch_up()
    assert all(c.agrees for c in check_views(app, created_projections(durable_store, PROJECTIONS)))
    view = read_side.projections[1].view
    with view.datastore.transaction(commit=True) as cursor:  # the audit made to look better than it is
        cursor.execute(
            f"UPDATE {view._table_name(AUDIT)} SET rework_count = 0, first_response_at = received_at"
        )

    board, audit = check_views(app, created_projections(durable_store, PROJECTIONS))

    assert board.agrees
    assert set(audit.differing) == set(tickets)
    read_side.close()
    app.close()
