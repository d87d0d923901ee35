"""How a ticket's events change its board row and its audit facts: pure, no storage."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import singledispatch
from typing import Any

from application.read_models import AuditFacts, BoardRow, FeedbackFact
from domain.ticket import Ticket
from domain.values import Status

Fields = dict[str, Any]  # a row's fields by name, changed in place while a batch is folded
Positioned = tuple[Ticket.Event, int]  # an event and its log position


class MissingTicketRowError(LookupError):
    """An event arrived for a ticket whose `received` event the view never applied."""

    def __init__(self, event: Ticket.Event) -> None:
        super().__init__(
            f"{type(event).__name__} v{event.originator_version} of ticket {event.originator_id} "
            "arrived before the ticket was received in this view; rebuild the view."
        )


def board_after_all(row: BoardRow | None, events: Iterable[Positioned]) -> BoardRow:
    """The board row once one ticket's `events` (in log order) are applied to `row`."""
    return BoardRow(**_fold(row, events, _new_board_fields, _board_changes))


def audit_after_all(facts: AuditFacts | None, events: Iterable[Positioned]) -> AuditFacts:
    """The audit facts once one ticket's `events` (in log order) are applied to `facts`."""
    return AuditFacts(**_fold(facts, events, _new_audit_fields, _audit_changes))


def _fold(
    row: object | None,
    events: Iterable[Positioned],
    new: Callable[[Ticket.Received], Fields],
    change: Callable[[Ticket.Event, Fields], Fields],
) -> Fields:
    # The frozen row is built once per ticket and batch: rebuilding it per event was most of the fold.
    fields = None if row is None else dict(vars(row))
    for event, position in events:
        if isinstance(event, Ticket.Received):
            fields = new(event)
        elif fields is None:
            raise MissingTicketRowError(event)
        else:
            fields.update(change(event, fields))
        fields["version"] = event.originator_version
        fields["position"] = position
    if fields is None:
        raise ValueError("no events to fold into a missing row")
    return fields


def _new_board_fields(event: Ticket.Received) -> Fields:
    return {
        "id": event.originator_id,
        "external_ref": event.external_ref,
        "status": Status.RECEIVED,
        "unit": event.unit,
        "community": event.location.community,
        "kind": event.kind,
        "category": event.category,
        "urgency": event.urgency,
        "summary": event.summary,
        "has_caller": event.caller is not None,
        "received_at": event.occurred_at,
        "responded_at": None,
        "resolved_at": None,
        "closed_at": None,
        "outcome": None,
        "satisfaction": None,
        "rework_count": 0,
        "praise_count": 0,
        "deadlines": event.deadlines,
    }


def _new_audit_fields(event: Ticket.Received) -> Fields:
    return {
        "ticket_id": event.originator_id,
        "external_ref": event.external_ref,
        "unit": event.unit,
        "status": Status.RECEIVED,
        "has_caller": event.caller is not None,
        "received_at": event.occurred_at,
        "respond_by": event.deadlines.respond_by,
        "resolve_by": event.deadlines.resolve_by,
        "first_response_at": None,
        "outcome": None,
        "outcome_at": None,
        "feedback": (),
        "rework_count": 0,
        "praise_count": 0,
    }


@singledispatch
def _board_changes(event: Ticket.Event, row: Fields) -> Fields:
    return {}


@_board_changes.register
def _(event: Ticket.Contacted, row: Fields) -> Fields:
    changes: Fields = {}
    if row["status"] is not Status.RESOLVED:
        changes["status"] = Status.IN_PROGRESS
    if event.reached and row["responded_at"] is None:
        changes["responded_at"] = event.occurred_at
    return changes


@_board_changes.register(Ticket.SiteVisited)
@_board_changes.register(Ticket.Coordinated)
def _(event: Ticket.Event, row: Fields) -> Fields:
    return {"status": Status.IN_PROGRESS}


@_board_changes.register
def _(event: Ticket.Resolved, row: Fields) -> Fields:
    changes: Fields = {"outcome": event.outcome, "resolved_at": event.occurred_at}
    if row["has_caller"]:
        return {**changes, "status": Status.RESOLVED}
    return {**changes, "status": Status.CLOSED, "closed_at": event.occurred_at}


@_board_changes.register
def _(event: Ticket.FeedbackGiven, row: Fields) -> Fields:
    if event.satisfaction is None:
        return {}  # the caller was not reached: recorded, nothing changes
    if event.satisfaction.closes_the_ticket:
        return {"satisfaction": event.satisfaction, "status": Status.CLOSED, "closed_at": event.occurred_at}
    return {
        "satisfaction": event.satisfaction,
        "status": Status.IN_PROGRESS,
        "rework_count": row["rework_count"] + 1,
    }


@_board_changes.register
def _(event: Ticket.Praised, row: Fields) -> Fields:
    return {"praise_count": row["praise_count"] + 1}


@singledispatch
def _audit_changes(event: Ticket.Event, facts: Fields) -> Fields:
    return {"status": Status.IN_PROGRESS}  # a site visit or a coordination


@_audit_changes.register
def _(event: Ticket.Contacted, facts: Fields) -> Fields:
    changes: Fields = {}
    if facts["status"] is not Status.RESOLVED:
        changes["status"] = Status.IN_PROGRESS
    if event.reached and facts["first_response_at"] is None:
        changes["first_response_at"] = event.occurred_at
    return changes


@_audit_changes.register
def _(event: Ticket.Resolved, facts: Fields) -> Fields:
    status = Status.RESOLVED if facts["has_caller"] else Status.CLOSED
    return {"status": status, "outcome": event.outcome, "outcome_at": event.occurred_at}


@_audit_changes.register
def _(event: Ticket.FeedbackGiven, facts: Fields) -> Fields:
    fact = FeedbackFact(
        occurred_at=event.occurred_at,
        caller_reached=event.caller_reached,
        contact_confirmed=event.contact_confirmed,
        solved=event.solved,
        satisfaction=event.satisfaction,
    )
    changes: Fields = {"feedback": (*facts["feedback"], fact)}
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
        "rework_count": facts["rework_count"] + 1,
    }


@_audit_changes.register
def _(event: Ticket.Praised, facts: Fields) -> Fields:
    return {"praise_count": facts["praise_count"] + 1}
