"""The ten lifecycle rules of DOMAIN.md, one behaviour at a time, on the aggregate itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta

import pytest

from application.replay import fold
from domain.errors import LifecycleError, Rule
from domain.ticket import Ticket
from domain.values import Outcome, Satisfaction, Status
from tests.domain.tickets import (
    NOW,
    Snapshot,
    closed_with_caller,
    contact,
    coordinate,
    feedback,
    later,
    praise,
    proactive,
    receipt,
    received,
    resolve,
    resolved_with_caller,
    visit,
)


def refused(rule: Rule, ticket: Ticket, command: Callable[[], None]) -> None:
    """The command raises the rule and leaves the ticket exactly as it was (rule 9)."""
    before = Snapshot.of(ticket)
    with pytest.raises(LifecycleError) as error:
        command()
    assert error.value.rule is rule
    assert error.value.code == rule.code
    assert Snapshot.of(ticket) == before


# Rule 1 ----------------------------------------------------------------------------------------


def test_a_ticket_begins_with_exactly_one_received_event() -> None:
    ticket = received()

    assert [type(e) for e in ticket.pending_events] == [Ticket.Received]
    assert ticket.status is Status.RECEIVED
    assert ticket.version == 1


def test_replay_ignores_events_of_a_ticket_that_was_never_received() -> None:
    ticket = received()
    contact(ticket, later(hours=1))
    events = [e for e in ticket.collect_events() if isinstance(e, Ticket.Event)]

    assert fold(events[1:]) is None


# Rule 2 ----------------------------------------------------------------------------------------


def test_contacting_the_caller_of_a_proactive_ticket_is_rejected() -> None:
    ticket = proactive()
    refused(Rule.CALLER_REQUIRED, ticket, lambda: contact(ticket, later(hours=1)))


def test_feedback_on_a_proactive_ticket_is_rejected() -> None:
    ticket = proactive()
    visit(ticket, later(hours=1))
    refused(Rule.CALLER_REQUIRED, ticket, lambda: feedback(ticket, later(hours=2), Satisfaction.SATISFIED))


# Rule 3 ----------------------------------------------------------------------------------------


def test_resolving_without_reaching_the_caller_is_rejected() -> None:
    ticket = received()
    visit(ticket, later(hours=1))
    contact(ticket, later(hours=2), reached=False)
    refused(Rule.RESPONSE_BEFORE_OUTCOME, ticket, lambda: resolve(ticket, later(hours=3)))


def test_resolving_after_reaching_the_caller_waits_for_feedback() -> None:
    ticket = resolved_with_caller()

    assert ticket.status is Status.RESOLVED
    assert ticket.responded_at == later(hours=1)
    assert ticket.resolved_at == later(hours=2)
    assert ticket.closed_at is None


def test_the_response_is_the_first_time_the_caller_was_reached() -> None:
    ticket = received()
    contact(ticket, later(hours=1), reached=False)
    contact(ticket, later(hours=2))
    contact(ticket, later(hours=3))

    assert ticket.responded_at == later(hours=2)


def test_a_response_recorded_late_still_counts_from_when_it_happened() -> None:
    ticket = received()
    contact(ticket, later(hours=3))
    contact(ticket, later(hours=1))  # a call made earlier, written down afterwards

    assert ticket.responded_at == later(hours=1)


def test_an_outcome_dated_before_the_caller_was_reached_is_rejected() -> None:
    ticket = received()
    contact(ticket, later(hours=2))
    refused(Rule.RESPONSE_BEFORE_OUTCOME, ticket, lambda: resolve(ticket, later(hours=1)))
    resolve(ticket, later(hours=2))  # at the very moment of the response: accepted

    assert ticket.status is Status.RESOLVED


def test_an_outcome_of_a_proactive_ticket_dated_before_its_site_visit_is_rejected() -> None:
    ticket = proactive()
    coordinate(ticket, later(hours=3))
    refused(Rule.RESPONSE_BEFORE_OUTCOME, ticket, lambda: resolve(ticket, later(hours=2)))
    visit(ticket, later(hours=1))  # an earlier visit, recorded late, is enough
    resolve(ticket, later(hours=2))

    assert ticket.status is Status.CLOSED


def test_resolving_a_proactive_ticket_before_any_visit_or_coordination_is_rejected() -> None:
    ticket = proactive()
    refused(Rule.RESPONSE_BEFORE_OUTCOME, ticket, lambda: resolve(ticket, later(hours=1)))


@pytest.mark.parametrize("handle", [visit, coordinate])
def test_a_proactive_ticket_handled_on_site_closes_when_resolved(
    handle: Callable[[Ticket, object], None],
) -> None:
    ticket = proactive()
    handle(ticket, later(hours=1))
    resolve(ticket, later(hours=2))

    assert ticket.status is Status.CLOSED
    assert ticket.closed_at == later(hours=2)


# Rule 4 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("handle", [visit, coordinate, contact])
def test_any_handling_puts_a_received_ticket_in_progress(handle: Callable[[Ticket, object], None]) -> None:
    ticket = received()
    handle(ticket, later(hours=1))

    assert ticket.status is Status.IN_PROGRESS


@pytest.mark.parametrize("handle", [visit, coordinate, resolve])
def test_handling_a_resolved_ticket_is_rejected(handle: Callable[[Ticket, object], None]) -> None:
    ticket = resolved_with_caller()
    refused(Rule.NOT_IN_HANDLING, ticket, lambda: handle(ticket, later(hours=3)))


def test_a_follow_up_contact_is_accepted_while_resolved_and_keeps_it_resolved() -> None:
    ticket = resolved_with_caller()
    contact(ticket, later(hours=3))

    assert ticket.status is Status.RESOLVED
    assert ticket.version == 4


# Rule 5 ----------------------------------------------------------------------------------------


def test_feedback_before_resolution_is_rejected() -> None:
    ticket = received()
    contact(ticket, later(hours=1))
    refused(
        Rule.FEEDBACK_NEEDS_RESOLUTION,
        ticket,
        lambda: feedback(ticket, later(hours=2), Satisfaction.SATISFIED),
    )


def test_feedback_dated_before_the_resolution_is_rejected() -> None:
    ticket = resolved_with_caller()  # resolved two hours after receipt
    refused(
        Rule.FEEDBACK_NEEDS_RESOLUTION,
        ticket,
        lambda: feedback(ticket, later(hours=1), Satisfaction.SATISFIED),
    )


def test_feedback_that_did_not_reach_the_caller_is_recorded_without_changing_the_status() -> None:
    ticket = resolved_with_caller()
    feedback(ticket, later(days=1), None)

    assert ticket.status is Status.RESOLVED
    assert ticket.version == 4
    assert ticket.satisfaction is None


@pytest.mark.parametrize("rating", [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED])
def test_a_satisfied_caller_closes_the_ticket(rating: Satisfaction) -> None:
    ticket = resolved_with_caller()
    feedback(ticket, later(days=1), rating)

    assert ticket.status is Status.CLOSED
    assert ticket.closed_at == later(days=1)
    assert ticket.satisfaction is rating


def test_an_unsatisfied_caller_sends_the_ticket_back_and_a_fresh_response_is_owed() -> None:
    ticket = resolved_with_caller()
    feedback(ticket, later(days=1), Satisfaction.UNSATISFIED)

    assert (ticket.status, ticket.rework_count) == (Status.IN_PROGRESS, 1)
    refused(Rule.RESPONSE_BEFORE_OUTCOME, ticket, lambda: resolve(ticket, later(days=2)))

    contact(ticket, later(days=2))
    resolve(ticket, later(days=3))
    assert (ticket.status, ticket.resolved_at) == (Status.RESOLVED, later(days=3))
    assert ticket.responded_at == later(hours=1)  # the first response stays the response


def test_a_contact_dated_before_the_rework_answers_nothing_after_it() -> None:
    ticket = resolved_with_caller()
    feedback(ticket, later(days=1), Satisfaction.UNSATISFIED)
    contact(ticket, later(hours=20))  # recorded after the rework, but it happened before it

    refused(Rule.RESPONSE_BEFORE_OUTCOME, ticket, lambda: resolve(ticket, later(days=2)))
    contact(ticket, later(days=1, hours=1))
    resolve(ticket, later(days=2))
    assert ticket.status is Status.RESOLVED


# Rule 6 ----------------------------------------------------------------------------------------


def test_praise_before_anything_was_done_is_rejected() -> None:
    ticket = received()
    refused(Rule.PRAISE_BEFORE_HANDLING, ticket, lambda: praise(ticket, later(hours=1)))


@pytest.mark.parametrize("ticket_in", [resolved_with_caller, closed_with_caller])
def test_praise_never_changes_the_status(ticket_in: Callable[[], Ticket]) -> None:
    ticket = ticket_in()
    status = ticket.status
    praise(ticket, later(days=2))
    praise(ticket, later(days=3))

    assert ticket.status is status
    assert ticket.praise_count == 2


# Rule 7 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        lambda t: contact(t, later(days=2)),
        lambda t: visit(t, later(days=2)),
        lambda t: coordinate(t, later(days=2)),
        lambda t: resolve(t, later(days=2)),
        lambda t: feedback(t, later(days=2), Satisfaction.UNSATISFIED),
    ],
    ids=["contact", "visit", "coordinate", "resolve", "feedback"],
)
def test_a_closed_ticket_accepts_nothing_but_praise(command: Callable[[Ticket], None]) -> None:
    ticket = closed_with_caller()
    refused(Rule.TICKET_CLOSED, ticket, lambda: command(ticket))


# Rule 8 ----------------------------------------------------------------------------------------


def test_an_event_before_the_receipt_is_rejected() -> None:
    ticket = received()
    refused(Rule.BEFORE_RECEIPT, ticket, lambda: contact(ticket, later(seconds=-1)))


def test_an_event_more_than_five_minutes_after_recording_is_rejected() -> None:
    ticket = received()
    too_late = NOW + timedelta(minutes=5, microseconds=1)
    refused(Rule.IN_THE_FUTURE, ticket, lambda: visit(ticket, too_late))


def test_an_event_up_to_five_minutes_ahead_of_recording_is_accepted() -> None:
    ticket = received()
    visit(ticket, NOW + timedelta(minutes=5))

    assert ticket.version == 2


def test_times_in_other_offsets_compare_as_instants() -> None:
    ticket = received()
    visit(ticket, later().astimezone(UTC))  # the same instant as the receipt

    assert ticket.version == 2


def test_a_receipt_in_the_future_is_rejected() -> None:
    fields = receipt(occurred_at=later(minutes=6), recorded_at=later())
    with pytest.raises(LifecycleError) as error:
        Ticket.receive(**fields)  # type: ignore[arg-type]
    assert error.value.rule is Rule.IN_THE_FUTURE


def test_a_time_in_the_future_is_refused_with_now_in_the_clients_own_offset() -> None:
    now = later()
    fields = receipt(occurred_at=now + timedelta(minutes=6), recorded_at=now.astimezone(UTC))
    with pytest.raises(LifecycleError) as error:
        Ticket.receive(**fields)  # type: ignore[arg-type]
    assert f"after now ({now.isoformat()})" in str(error.value)


# Rule 10 ---------------------------------------------------------------------------------------


def test_replaying_the_events_rebuilds_the_same_ticket_and_the_version_counts_them() -> None:
    ticket = received()
    contact(ticket, later(hours=1))
    coordinate(ticket, later(hours=2))
    resolve(ticket, later(hours=3), outcome=Outcome.PARTIALLY_SOLVED)
    feedback(ticket, later(days=1), Satisfaction.UNSATISFIED)
    contact(ticket, later(days=1, hours=1))
    resolve(ticket, later(days=2))
    feedback(ticket, later(days=3), Satisfaction.BASICALLY_SATISFIED)
    praise(ticket, later(days=4))
    events = [e for e in ticket.collect_events() if isinstance(e, Ticket.Event)]

    rebuilt = fold(events)
    assert rebuilt is not None
    assert vars(rebuilt) == vars(ticket)
    assert ticket.version == len(events) == 9
