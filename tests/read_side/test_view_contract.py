"""The views' contract, the same in memory, on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from application.handling import CaseHandling
from application.read_models import (
    AuditQuery,
    BoardFilter,
    DeadlineState,
    Finding,
    ViewBehindError,
)
from application.view_events import ViewEvent, ViewEventMapper
from domain.errors import InvalidInputError
from domain.values import Kind, Satisfaction, Status, Urgency
from infrastructure.projections.read_side import ProjectedReadSide
from tests.builders import (
    CENTRE,
    T0,
    WORKER,
    FakeClock,
    feedback,
    hotline_ticket,
    praise,
    proactive_ticket,
    reached,
    site_visit,
    solved,
)

OTHER_UNIT = "玉函路社区"


def _ids(rows: object) -> list[UUID]:
    return [row.id for row in rows]  # type: ignore[attr-defined]


def _receive_a_mixed_set(app: CaseHandling, clock: FakeClock, ref: str = "JN-1") -> list[UUID]:
    made = [
        hotline_ticket(external_ref=ref),
        hotline_ticket(unit=OTHER_UNIT, kind=Kind.COMPLAINT, urgency=Urgency.URGENT),
        proactive_ticket(),
        hotline_ticket(category="housing.lighting"),
        hotline_ticket(unit=OTHER_UNIT),
    ]
    ids = []
    for command in made:
        clock.advance(minutes=10)
        ids.append(app.receive(replace(command, occurred_at=clock.now), CENTRE))
    app.contact(ids[0].ticket.id, reached(clock.advance(hours=1)), WORKER)
    app.resolve(ids[0].ticket.id, solved(clock.advance(hours=1)), WORKER)
    app.contact(ids[3].ticket.id, reached(clock.advance(hours=30)), WORKER)  # after its 24 h deadline
    return [r.ticket.id for r in ids]


def test_the_board_shows_each_ticket_as_its_events_left_it(
    app: CaseHandling, read_side: ProjectedReadSide, clock: FakeClock
) -> None:
    ticket_id = app.receive(hotline_ticket(external_ref="JN20240110-0001"), CENTRE).ticket.id
    app.contact(ticket_id, reached(clock.advance(hours=1)), WORKER)
    app.resolve(ticket_id, solved(clock.advance(hours=1)), WORKER)
    app.give_feedback(ticket_id, feedback(clock.advance(hours=1), Satisfaction.UNSATISFIED), CENTRE)
    last = app.praise(ticket_id, praise(clock.advance(hours=1)), CENTRE)

    read_side.wait(last.position)
    row = read_side.board.row(ticket_id)

    assert row is not None
    assert (row.status, row.rework_count, row.praise_count, row.version) == (Status.IN_PROGRESS, 1, 1, 5)
    assert row.responded_at == T0 + timedelta(hours=1)
    assert row.satisfaction is Satisfaction.UNSATISFIED
    assert row.position == last.position


def test_every_filter_returns_what_the_reference_filter_selects(
    app: CaseHandling, read_side: ProjectedReadSide, clock: FakeClock
) -> None:
    ids = _receive_a_mixed_set(app, clock)
    read_side.catch_up()
    everything = read_side.board.tickets(BoardFilter(), now=clock.now, limit=500).items
    filters = [
        BoardFilter(status=Status.RESOLVED),
        BoardFilter(unit=OTHER_UNIT),
        BoardFilter(community="明星社区", kind=Kind.HELP),
        BoardFilter(category="housing.lighting"),
        BoardFilter(urgency=Urgency.URGENT),
        BoardFilter(responded=True),
        BoardFilter(responded=False),
        BoardFilter(external_ref="JN-1"),
        BoardFilter(received_from=T0 + timedelta(minutes=20), received_to=T0 + timedelta(minutes=40)),
        BoardFilter(overdue=True),
        BoardFilter(overdue=False),
    ]
    for now in (clock.now, clock.now + timedelta(days=4), clock.now + timedelta(days=30)):
        for where in filters:
            expected = [row.id for row in everything if where.matches(row, now)]
            assert _ids(read_side.board.tickets(where, now=now).items) == expected, (where, now)
            assert read_side.board.count(where, now=now) == len(expected)
    assert len(everything) == len(ids)


def test_pages_follow_each_other_in_a_stable_order_without_gaps_or_repeats(
    app: CaseHandling, read_side: ProjectedReadSide, clock: FakeClock
) -> None:
    ids = _receive_a_mixed_set(app, clock) + _receive_a_mixed_set(app, clock, ref="JN-2")
    read_side.catch_up()
    seen: list[UUID] = []
    cursor = None
    while True:
        page = read_side.board.tickets(BoardFilter(), now=clock.now, limit=3, cursor=cursor)
        seen += _ids(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(ids)
    assert seen == _ids(read_side.board.tickets(BoardFilter(), now=clock.now, limit=500).items)


@pytest.mark.parametrize(
    ("limit", "cursor", "field"), [(0, None, "limit"), (501, None, "limit"), (5, "nope", "cursor")]
)
def test_a_bad_page_request_is_rejected_naming_the_field(
    read_side: ProjectedReadSide, limit: int, cursor: str | None, field: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_side.board.tickets(BoardFilter(), now=T0, limit=limit, cursor=cursor)
    assert refused.value.field == field


def test_deadlines_pass_with_time_not_with_events(app: CaseHandling, read_side: ProjectedReadSide) -> None:
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id  # respond by T0+24h, resolve by T0+5d
    read_side.catch_up()
    overdue = BoardFilter(overdue=True)

    assert read_side.board.count(overdue, now=T0 + timedelta(hours=23)) == 0
    assert read_side.board.count(overdue, now=T0 + timedelta(hours=25)) == 1
    early = read_side.audit.ticket(ticket_id, now=T0 + timedelta(hours=23))
    late = read_side.audit.ticket(ticket_id, now=T0 + timedelta(days=6))
    assert early is not None
    assert late is not None
    assert (early.response_deadline, early.resolution_deadline) == (
        DeadlineState.PENDING,
        DeadlineState.PENDING,
    )
    assert (late.response_deadline, late.resolution_deadline) == (DeadlineState.MISSED, DeadlineState.MISSED)
    assert early.findings == {Finding.AWAITING_RESPONSE}
    assert late.findings == {Finding.AWAITING_RESPONSE, Finding.NO_OUTCOME_OVERDUE}


def test_the_audit_headline_and_findings_count_what_happened_per_unit_and_period(
    app: CaseHandling, read_side: ProjectedReadSide, clock: FakeClock
) -> None:
    ids = _receive_a_mixed_set(app, clock)
    read_side.catch_up()
    now = T0 + timedelta(days=30)

    report = read_side.audit.report(AuditQuery(), now=now)
    ours = read_side.audit.headline(AuditQuery(unit=hotline_ticket().unit), now=now)
    first_two = read_side.audit.headline(AuditQuery(received_to=T0 + timedelta(minutes=25)), now=now)

    assert report.headline.sentence == "2 of 4 tickets that need a response have one; 1 of them on time"
    assert [f.facts.ticket_id for f in report.findings[Finding.AWAITING_RESPONSE].items] == [ids[1], ids[4]]
    assert [f.facts.ticket_id for f in report.findings[Finding.LATE_RESPONSE].items] == [ids[3]]
    assert [f.facts.ticket_id for f in report.findings[Finding.AWAITING_FEEDBACK].items] == [ids[0]]
    assert report.headline.counts[Finding.NO_OUTCOME_OVERDUE] == 4
    assert (ours.tickets, ours.need_response, ours.responded) == (3, 2, 2)
    assert (first_two.tickets, first_two.need_response) == (2, 2)


def test_feedback_and_rework_are_kept_in_the_audit_trail(
    app: CaseHandling, read_side: ProjectedReadSide, clock: FakeClock
) -> None:
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    app.contact(ticket_id, reached(clock.advance(hours=2)), WORKER)
    app.resolve(ticket_id, solved(clock.advance(hours=1)), WORKER)
    app.give_feedback(ticket_id, feedback(clock.advance(hours=1), None), CENTRE)
    app.give_feedback(ticket_id, feedback(clock.advance(hours=1), Satisfaction.UNSATISFIED), CENTRE)
    read_side.catch_up()

    audit = read_side.audit.ticket(ticket_id, now=clock.now)

    assert audit is not None
    assert [f.satisfaction for f in audit.facts.feedback] == [None, Satisfaction.UNSATISFIED]
    assert audit.response_time == timedelta(hours=2)
    assert (audit.facts.outcome, audit.facts.rework_count) == (None, 1)  # reworked: no outcome stands
    assert audit.findings == {Finding.REWORKED}


def test_a_proactive_ticket_owes_no_response_but_an_outcome(
    app: CaseHandling, read_side: ProjectedReadSide, clock: FakeClock
) -> None:
    ticket_id = app.receive(proactive_ticket(), WORKER).ticket.id
    app.visit_site(ticket_id, site_visit(clock.advance(hours=1)), WORKER)
    last = app.resolve(ticket_id, solved(clock.advance(hours=1)), WORKER)
    read_side.wait(last.position)

    audit = read_side.audit.ticket(ticket_id, now=clock.now)
    row = read_side.board.row(ticket_id)

    assert audit is not None
    assert row is not None
    assert (audit.response_deadline, audit.resolution_deadline) == (None, DeadlineState.MET)
    assert row.status is Status.CLOSED
    assert row.closed_at == clock.now
    assert read_side.audit.headline(AuditQuery(), now=clock.now).need_response == 0


def test_an_event_is_never_applied_twice(
    app: CaseHandling, read_side: ProjectedReadSide, clock: FakeClock
) -> None:
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    app.contact(ticket_id, reached(clock.advance(hours=1)), WORKER)
    app.resolve(ticket_id, solved(clock.advance(hours=1)), WORKER)
    last = app.praise(ticket_id, praise(clock.advance(hours=1)), CENTRE)
    read_side.catch_up()
    event = view_events(app, ticket_id)[-1]
    board = read_side.projections[0]

    with pytest.raises(IntegrityError):
        board.process_batch([(event, last.position or 0)], Tracking(app.name, last.position or 0))

    row = read_side.board.row(ticket_id)
    assert row is not None
    assert row.praise_count == 1
    assert read_side.board.position() == last.position


def test_a_ticket_is_never_received_twice_into_a_view(
    app: CaseHandling, read_side: ProjectedReadSide, clock: FakeClock
) -> None:
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    last = app.contact(ticket_id, reached(clock.advance(hours=1)), WORKER)
    read_side.catch_up()
    received = view_events(app, ticket_id)[0]
    ahead = (last.position or 0) + 1

    for projection in read_side.projections:  # a new row for a ticket the view holds: refused, not replaced
        with pytest.raises(IntegrityError):
            projection.process_batch([(received, ahead)], Tracking(app.name, ahead))

    row = read_side.board.row(ticket_id)
    assert row is not None
    assert row.status is Status.IN_PROGRESS
    audit = read_side.audit.ticket(ticket_id, now=clock.now)
    assert audit is not None
    assert audit.facts.first_response_at is not None
    assert read_side.board.position() == read_side.audit.position() == last.position


def test_each_view_keeps_its_own_position(app: CaseHandling, read_side: ProjectedReadSide) -> None:
    recorded = app.receive(hotline_ticket(), CENTRE)
    event = view_events(app, recorded.ticket.id)[0]
    position = recorded.position or 0
    read_side.projections[0].process_batch([(event, position)], Tracking(app.name, position))

    assert read_side.board.position() == recorded.position
    assert read_side.audit.position() is None


def test_waiting_for_a_position_never_reached_gives_up_after_the_bound(read_side: ProjectedReadSide) -> None:
    with pytest.raises(ViewBehindError) as behind:
        read_side.wait(10_000, timeout=0.2)
    assert behind.value.position == 10_000


def test_a_follower_is_woken_by_the_applications_saves_while_it_follows_in_the_background(
    app: CaseHandling, read_side: ProjectedReadSide
) -> None:
    assert read_side.follower is not None
    assert read_side.follower.poke not in app.on_saved  # not started: `wait` catches up in its thread

    read_side.start()
    try:
        assert app.on_saved == [read_side.follower.poke]
    finally:
        read_side.stop()

    assert app.on_saved == []


def view_events(app: CaseHandling, ticket_id: UUID) -> list[ViewEvent]:
    """A ticket's stored events as the projections read them."""
    mapper = ViewEventMapper.like(app.mapper)
    return [mapper.to_domain_event(stored) for stored in app.recorder.select_events(ticket_id)]
