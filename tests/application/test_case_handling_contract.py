"""The application's contract, the same on every store: in memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import StaleVersionError, TicketNotFoundError
from application.handling import CaseHandling
from domain.errors import LifecycleError, Rule
from domain.values import Caller, Satisfaction, Status
from tests.builders import (
    CENTRE,
    T0,
    WORKER,
    FakeClock,
    coordination,
    feedback,
    hotline_ticket,
    praise,
    proactive_ticket,
    reached,
    solved,
)


def test_a_blocked_drain_goes_from_intake_to_closed_with_praise(app: CaseHandling, clock: FakeClock) -> None:
    ticket_id = app.receive(hotline_ticket(external_ref="JN20240110-0001"), CENTRE).ticket.id
    app.coordinate(ticket_id, coordination(clock.advance(hours=1)), WORKER)
    app.contact(ticket_id, reached(clock.advance(hours=1)), WORKER)
    app.resolve(ticket_id, solved(clock.advance(hours=3)), WORKER)
    app.give_feedback(ticket_id, feedback(clock.advance(days=1), Satisfaction.SATISFIED), CENTRE)
    final = app.praise(ticket_id, praise(clock.advance(hours=2)), CENTRE).ticket

    assert final.status is Status.CLOSED
    assert final.version == 6
    assert final.praise_count == 1
    assert final.responded_at == T0 + timedelta(hours=2)
    assert [e.type for e in app.history(ticket_id)] == [
        "received", "coordinated", "contacted", "resolved", "feedback-given", "praised",
    ]  # fmt: skip


def test_the_same_external_reference_never_opens_a_second_ticket(app: CaseHandling) -> None:
    first = app.receive(hotline_ticket(external_ref="JN-1"), CENTRE)
    again = app.receive(hotline_ticket(external_ref="JN-1", summary="重复来电"), CENTRE)

    assert first.created
    assert not again.created
    assert again.ticket.id == first.ticket.id
    assert again.ticket.summary == first.ticket.summary
    assert len(app.history(first.ticket.id)) == 1


def test_resolving_without_reaching_the_caller_is_rejected_and_records_nothing(
    app: CaseHandling, clock: FakeClock
) -> None:
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id

    with pytest.raises(LifecycleError) as refused:
        app.resolve(ticket_id, solved(clock.advance(hours=1)), WORKER)

    assert refused.value.rule is Rule.RESPONSE_BEFORE_OUTCOME
    assert len(app.history(ticket_id)) == 1


def test_a_stale_expected_version_is_refused(app: CaseHandling, clock: FakeClock) -> None:
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    app.contact(ticket_id, reached(clock.advance(minutes=5)), WORKER)

    with pytest.raises(StaleVersionError):
        app.coordinate(ticket_id, coordination(clock.advance(minutes=5)), WORKER, expected_version=1)


def test_a_ticket_can_be_read_after_its_nth_event_and_found_by_reference(
    app: CaseHandling, clock: FakeClock
) -> None:
    ticket_id = app.receive(hotline_ticket(external_ref="JN-7"), CENTRE).ticket.id
    app.contact(ticket_id, reached(clock.advance(minutes=5)), WORKER)

    assert app.ticket(ticket_id, version=1).status is Status.RECEIVED
    assert app.ticket(ticket_id).status is Status.IN_PROGRESS
    assert app.find("JN-7") == ticket_id
    assert app.find(str(ticket_id)) == ticket_id
    with pytest.raises(TicketNotFoundError):
        app.find("JN-404")


def test_listeners_are_told_of_each_recorded_event_and_of_nothing_else(
    app: CaseHandling, clock: FakeClock
) -> None:
    told: list[int] = []
    app.on_saved.append(lambda: told.append(app.recorder.max_notification_id() or 0))

    ticket_id = app.receive(hotline_ticket(external_ref="JN-9"), CENTRE).ticket.id
    app.receive(hotline_ticket(external_ref="JN-9"), CENTRE)  # known already: nothing recorded
    with pytest.raises(LifecycleError):
        app.resolve(ticket_id, solved(clock.advance(hours=1)), WORKER)
    app.contact(ticket_id, reached(clock.advance(hours=1)), WORKER)

    assert len(told) == 2
    assert told[-1] == app.recorder.max_notification_id()


def test_a_tickets_caller_name_is_the_one_its_intake_gave(app: CaseHandling, clock: FakeClock) -> None:
    called_in = app.receive(hotline_ticket(), CENTRE).ticket.id
    app.contact(called_in, reached(clock.advance(hours=1)), WORKER)
    found_on_a_round = app.receive(proactive_ticket(), WORKER).ticket.id

    assert app.caller_name(called_in) == "魏女士"
    assert app.caller_name(found_on_a_round) is None
    with pytest.raises(TicketNotFoundError):
        app.caller_name(app.new_id())


def test_caller_names_stay_right_when_fewer_are_kept_than_asked_for(
    app: CaseHandling, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("application.handling.CALLER_NAMES_KEPT", 1)
    wei = app.receive(hotline_ticket(), CENTRE).ticket.id
    li = app.receive(hotline_ticket(caller=Caller("李先生", "13912345678")), CENTRE).ticket.id

    assert [app.caller_name(t) for t in (wei, li, wei, wei, li)] == [
        "魏女士",
        "李先生",
        "魏女士",
        "魏女士",
        "李先生",
    ]
