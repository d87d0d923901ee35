"""The straightforward answers the views must agree with: the aggregate's own replay and a plain loop
over a ticket's history."""

from __future__ import annotations

from uuid import UUID

from application.handling import CaseHandling
from application.read_models import AuditFacts, BoardRow, FeedbackFact
from domain.values import Outcome, Satisfaction, Status


def last_positions(app: CaseHandling) -> dict[UUID, int]:
    positions: dict[UUID, int] = {}
    for notification in app.recorder.select_notifications(start=None, limit=1_000_000):
        positions[notification.originator_id] = notification.id  # type: ignore[index]
    return positions


def expected_board_row(app: CaseHandling, ticket_id: UUID, position: int) -> BoardRow:
    t = app.ticket(ticket_id)
    return BoardRow(
        id=t.id, external_ref=t.external_ref, status=t.status, unit=t.unit,
        community=t.location.community, kind=t.kind, category=t.category, urgency=t.urgency,
        summary=t.summary, has_caller=t.caller is not None, received_at=t.received_at,
        responded_at=t.responded_at, resolved_at=t.resolved_at, closed_at=t.closed_at,
        outcome=t.outcome, satisfaction=t.satisfaction, rework_count=t.rework_count,
        praise_count=t.praise_count, deadlines=t.deadlines, version=t.version, position=position,
    )  # fmt: skip


def expected_audit_facts(app: CaseHandling, ticket_id: UUID, position: int) -> AuditFacts:
    t = app.ticket(ticket_id)
    history = app.history(ticket_id)
    first_response = min(
        (e.occurred_at for e in history if e.type == "contacted" and e.data["reached"]), default=None
    )
    feedback = tuple(
        FeedbackFact(
            e.occurred_at,
            bool(e.data["caller_reached"]),
            e.data["contact_confirmed"],  # type: ignore[arg-type]
            e.data["solved"],  # type: ignore[arg-type]
            None if e.data["satisfaction"] is None else Satisfaction(e.data["satisfaction"]),
        )
        for e in history
        if e.type == "feedback-given"
    )
    resolutions = [e for e in history if e.type == "resolved"]
    stands = t.status in (Status.RESOLVED, Status.CLOSED)
    return AuditFacts(
        ticket_id=t.id, external_ref=t.external_ref, unit=t.unit, status=t.status,
        has_caller=t.caller is not None, received_at=t.received_at,
        respond_by=t.deadlines.respond_by, resolve_by=t.deadlines.resolve_by,
        first_response_at=first_response,
        outcome=Outcome(resolutions[-1].data["outcome"]) if stands else None,
        outcome_at=resolutions[-1].occurred_at if stands else None,
        feedback=feedback,
        rework_count=sum(f.satisfaction is Satisfaction.UNSATISFIED for f in feedback),
        praise_count=sum(e.type == "praised" for e in history),
        version=t.version, position=position,
    )  # fmt: skip
