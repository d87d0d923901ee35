"""How a ticket's events change its board row and its audit facts: pure, no storage."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from application.read_models import AuditFacts, BoardRow, FeedbackFact
from application.view_events import (
    Contacted,
    Coordinated,
    FeedbackGiven,
    Praised,
    Received,
    Resolved,
    SiteVisited,
    ViewEvent,
)
from domain.values import Status

Fields = dict[str, Any]  # a row's fields by name, changed in place while a batch is folded
Positioned = tuple[ViewEvent, int]  # an event and its log position
Change = Callable[[Any, Fields], None]  # applies one event to a row's fields, in place
Row = TypeVar("Row", BoardRow, AuditFacts, FeedbackFact)
# The statuses under plain names: on Python 3.11 every `Status.X` goes through the Enum metaclass's
# `__getattr__` hook, four times as slow as a global, and the folds set a status several times a ticket.
STATUS_RECEIVED, STATUS_IN_PROGRESS = Status.RECEIVED, Status.IN_PROGRESS
STATUS_RESOLVED, STATUS_CLOSED = Status.RESOLVED, Status.CLOSED


class MissingTicketRowError(LookupError):
    """An event arrived for a ticket whose `received` event the view never applied."""

    def __init__(self, event: ViewEvent) -> None:
        super().__init__(
            f"{type(event).__name__} v{event.originator_version} of ticket {event.originator_id} "
            "arrived before the ticket was received in this view; rebuild the view."
        )


def board_after_all(row: BoardRow | None, events: Sequence[Positioned]) -> BoardRow:
    """The board row once one ticket's `events` (in log order) are applied to `row`."""
    return _frozen(BoardRow, _fold(row, events, _new_board_fields, _BOARD_CHANGES))


def audit_after_all(facts: AuditFacts | None, events: Sequence[Positioned]) -> AuditFacts:
    """The audit facts once one ticket's `events` (in log order) are applied to `facts`."""
    return _frozen(AuditFacts, _fold(facts, events, _new_audit_fields, _AUDIT_CHANGES))


def _frozen(row_type: type[Row], fields: Fields) -> Row:
    """The frozen dataclass `row_type` holding `fields` (every one of its fields, by name), which become
    its attributes: the caller hands over a dict of its own and keeps no hold on it.

    Without its `__init__`, which sets each field through `object.__setattr__`: a tenth of the time for a
    board row, and a rebuild makes one per ticket and batch (and a fact per follow-up call). These types
    validate nothing on the way in.
    """
    row = object.__new__(row_type)
    object.__setattr__(row, "__dict__", fields)  # not a copy: a third less again
    return row


def _fold(
    row: object | None,
    events: Sequence[Positioned],
    new: Callable[[Received], Fields],
    changes: Mapping[type[ViewEvent], Change],
) -> Fields:
    # The frozen row is built once per ticket and batch: rebuilding it per event was most of the fold.
    fields = None if row is None else dict(vars(row))
    for event, _ in events:
        if type(event) is Received:
            fields = new(event)
        elif fields is None:
            raise MissingTicketRowError(event)
        else:
            changes[type(event)](event, fields)
    if fields is None:
        raise ValueError("no events to fold into a missing row")
    last, position = events[-1]
    fields["version"], fields["position"] = last.originator_version, position
    return fields


def _new_board_fields(event: Received) -> Fields:
    return {
        "id": event.originator_id,
        "external_ref": event.external_ref,
        "status": STATUS_RECEIVED,
        "unit": event.unit,
        "community": event.community,
        "kind": event.kind,
        "category": event.category,
        "urgency": event.urgency,
        "summary": event.summary,
        "has_caller": event.has_caller,
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


def _new_audit_fields(event: Received) -> Fields:
    return {
        "ticket_id": event.originator_id,
        "external_ref": event.external_ref,
        "unit": event.unit,
        "status": STATUS_RECEIVED,
        "has_caller": event.has_caller,
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


# Each change applies one event to a row's fields in place; the tables say which change each event makes.


def _board_contacted(event: Contacted, row: Fields) -> None:
    if row["status"] is not STATUS_RESOLVED:
        row["status"] = STATUS_IN_PROGRESS
    if event.reached:  # the first response is the earliest, however late it was recorded
        responded = row["responded_at"]
        if responded is None or event.occurred_at < responded:
            row["responded_at"] = event.occurred_at


def _in_progress(event: ViewEvent, row: Fields) -> None:  # a site visit or a coordination
    row["status"] = STATUS_IN_PROGRESS


def _board_resolved(event: Resolved, row: Fields) -> None:
    row["outcome"], row["resolved_at"] = event.outcome, event.occurred_at
    if row["has_caller"]:
        row["status"] = STATUS_RESOLVED
    else:
        row["status"], row["closed_at"] = STATUS_CLOSED, event.occurred_at


def _board_feedback(event: FeedbackGiven, row: Fields) -> None:
    if event.satisfaction is None:
        return  # the caller was not reached: recorded, nothing changes
    row["satisfaction"] = event.satisfaction
    if event.satisfaction.closes_the_ticket:
        row["status"], row["closed_at"] = STATUS_CLOSED, event.occurred_at
    else:
        row["status"], row["rework_count"] = STATUS_IN_PROGRESS, row["rework_count"] + 1


def _praised(event: Praised, row: Fields) -> None:
    row["praise_count"] += 1


def _audit_contacted(event: Contacted, facts: Fields) -> None:
    if facts["status"] is not STATUS_RESOLVED:
        facts["status"] = STATUS_IN_PROGRESS
    if event.reached:
        responded = facts["first_response_at"]
        if responded is None or event.occurred_at < responded:
            facts["first_response_at"] = event.occurred_at


def _audit_resolved(event: Resolved, facts: Fields) -> None:
    facts["status"] = STATUS_RESOLVED if facts["has_caller"] else STATUS_CLOSED
    facts["outcome"], facts["outcome_at"] = event.outcome, event.occurred_at


def _audit_feedback(event: FeedbackGiven, facts: Fields) -> None:
    fact = _frozen(
        FeedbackFact,
        {
            "occurred_at": event.occurred_at,
            "caller_reached": event.caller_reached,
            "contact_confirmed": event.contact_confirmed,
            "solved": event.solved,
            "satisfaction": event.satisfaction,
        },
    )
    facts["feedback"] = (*facts["feedback"], fact)
    if event.satisfaction is None:
        return
    if event.satisfaction.closes_the_ticket:
        facts["status"] = STATUS_CLOSED
        return
    # Rework (重办): the outcome no longer stands until the case is resolved again.
    facts["status"], facts["outcome"], facts["outcome_at"] = STATUS_IN_PROGRESS, None, None
    facts["rework_count"] += 1


_BOARD_CHANGES: Mapping[type[ViewEvent], Change] = {
    Contacted: _board_contacted,
    SiteVisited: _in_progress,
    Coordinated: _in_progress,
    Resolved: _board_resolved,
    FeedbackGiven: _board_feedback,
    Praised: _praised,
}
_AUDIT_CHANGES: Mapping[type[ViewEvent], Change] = {
    Contacted: _audit_contacted,
    SiteVisited: _in_progress,
    Coordinated: _in_progress,
    Resolved: _audit_resolved,
    FeedbackGiven: _audit_feedback,
    Praised: _praised,
}
