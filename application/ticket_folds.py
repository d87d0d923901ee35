"""How one ticket event changes a board row and a ticket's audit facts: pure, no storage."""

from __future__ import annotations

from dataclasses import replace
from functools import singledispatch
from typing import Any

from application.read_models import AuditFacts, BoardRow, FeedbackFact
from domain.ticket import Ticket
from domain.values import Status

Changes = dict[str, Any]  # a subset of the row's fields


class MissingTicketRowError(LookupError):
    """An event arrived for a ticket whose `received` event the view never applied."""

    def __init__(self, event: Ticket.Event) -> None:
        super().__init__(
            f"{type(event).__name__} v{event.originator_version} of ticket {event.originator_id} "
            "arrived before the ticket was received in this view; rebuild the view."
        )


def board_after(row: BoardRow | None, event: Ticket.Event, position: int) -> BoardRow:
    """The board row once `event` (at log `position`) is applied to `row`."""
    if isinstance(event, Ticket.Received):
        return _new_board_row(event, position)
    if row is None:
        raise MissingTicketRowError(event)
    return replace(row, **_board_changes(event, row), version=event.originator_version, position=position)


def audit_after(facts: AuditFacts | None, event: Ticket.Event, position: int) -> AuditFacts:
    """The audit facts once `event` (at log `position`) is applied to `facts`."""
    if isinstance(event, Ticket.Received):
        return _new_audit_facts(event, position)
    if facts is None:
        raise MissingTicketRowError(event)
    changes = _audit_changes(event, facts)
    return replace(facts, **changes, version=event.originator_version, position=position)


def _new_board_row(event: Ticket.Received, position: int) -> BoardRow:
    return BoardRow(
        id=event.originator_id,
        external_ref=event.external_ref,
        status=Status.RECEIVED,
        unit=event.unit,
        community=event.location.community,
        kind=event.kind,
        category=event.category,
        urgency=event.urgency,
        summary=event.summary,
        has_caller=event.caller is not None,
        received_at=event.occurred_at,
        responded_at=None,
        resolved_at=None,
        closed_at=None,
        outcome=None,
        satisfaction=None,
        rework_count=0,
        praise_count=0,
        deadlines=event.deadlines,
        version=event.originator_version,
        position=position,
    )


def _new_audit_facts(event: Ticket.Received, position: int) -> AuditFacts:
    return AuditFacts(
        ticket_id=event.originator_id,
        external_ref=event.external_ref,
        unit=event.unit,
        status=Status.RECEIVED,
        has_caller=event.caller is not None,
        received_at=event.occurred_at,
        respond_by=event.deadlines.respond_by,
        resolve_by=event.deadlines.resolve_by,
        first_response_at=None,
        outcome=None,
        outcome_at=None,
        feedback=(),
        rework_count=0,
        praise_count=0,
        version=event.originator_version,
        position=position,
    )


@singledispatch
def _board_changes(event: Ticket.Event, row: BoardRow) -> Changes:
    return {}


@_board_changes.register
def _(event: Ticket.Contacted, row: BoardRow) -> Changes:
    changes: Changes = {}
    if row.status is not Status.RESOLVED:
        changes["status"] = Status.IN_PROGRESS
    if event.reached and row.responded_at is None:
        changes["responded_at"] = event.occurred_at
    return changes


@_board_changes.register(Ticket.SiteVisited)
@_board_changes.register(Ticket.Coordinated)
def _(event: Ticket.Event, row: BoardRow) -> Changes:
    return {"status": Status.IN_PROGRESS}


@_board_changes.register
def _(event: Ticket.Resolved, row: BoardRow) -> Changes:
    changes: Changes = {"outcome": event.outcome, "resolved_at": event.occurred_at}
    if row.has_caller:
        return {**changes, "status": Status.RESOLVED}
    return {**changes, "status": Status.CLOSED, "closed_at": event.occurred_at}


@_board_changes.register
def _(event: Ticket.FeedbackGiven, row: BoardRow) -> Changes:
    if event.satisfaction is None:
        return {}  # the caller was not reached: recorded, nothing changes
    if event.satisfaction.closes_the_ticket:
        return {"satisfaction": event.satisfaction, "status": Status.CLOSED, "closed_at": event.occurred_at}
    return {
        "satisfaction": event.satisfaction,
        "status": Status.IN_PROGRESS,
        "rework_count": row.rework_count + 1,
    }


@_board_changes.register
def _(event: Ticket.Praised, row: BoardRow) -> Changes:
    return {"praise_count": row.praise_count + 1}


@singledispatch
def _audit_changes(event: Ticket.Event, facts: AuditFacts) -> Changes:
    return {"status": Status.IN_PROGRESS}  # a site visit or a coordination


@_audit_changes.register
def _(event: Ticket.Contacted, facts: AuditFacts) -> Changes:
    changes: Changes = {}
    if facts.status is not Status.RESOLVED:
        changes["status"] = Status.IN_PROGRESS
    if event.reached and facts.first_response_at is None:
        changes["first_response_at"] = event.occurred_at
    return changes


@_audit_changes.register
def _(event: Ticket.Resolved, facts: AuditFacts) -> Changes:
    status = Status.RESOLVED if facts.has_caller else Status.CLOSED
    return {"status": status, "outcome": event.outcome, "outcome_at": event.occurred_at}


@_audit_changes.register
def _(event: Ticket.FeedbackGiven, facts: AuditFacts) -> Changes:
    fact = FeedbackFact(
        occurred_at=event.occurred_at,
        caller_reached=event.caller_reached,
        contact_confirmed=event.contact_confirmed,
        solved=event.solved,
        satisfaction=event.satisfaction,
    )
    changes: Changes = {"feedback": (*facts.feedback, fact)}
    if event.satisfaction is None:
        return changes
    if event.satisfaction.closes_the_ticket:
        return {**changes, "status": Status.CLOSED}
    # Rework (重办): the outcome no longer stands until the case is resolved again.
    return {
        **changes,
        "status": Status.IN_PROGRESS,
        "outcome": None,
        "outcome_at": None,
        "rework_count": facts.rework_count + 1,
    }


@_audit_changes.register
def _(event: Ticket.Praised, facts: AuditFacts) -> Changes:
    return {"praise_count": facts.praise_count + 1}
