"""A ticket built directly from the aggregate, and a look at what a command left behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import uuid4

from domain.deadlines import STANDARD_POLICY
from domain.ticket import Ticket
from domain.values import (
    Caller,
    ContactChannel,
    IntakeChannel,
    Kind,
    Location,
    Outcome,
    Party,
    PraiseChannel,
    Satisfaction,
    Urgency,
)
from tests.builders import CENTRE, T0, UNIT, WORKER


def later(**span: float) -> datetime:
    return T0 + timedelta(**span)


NOW = later(days=30)  # the moment of recording for every command in these tests


def receipt(**changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "ticket_id": uuid4(),
        "external_ref": "JN20240110-0001",
        "channel": IntakeChannel.HOTLINE,
        "kind": Kind.HELP,
        "category": "housing.drainage",
        "urgency": Urgency.NORMAL,
        "summary": "14号楼下水管道堵塞",
        "description": "明星北区14号楼下水管道堵塞。",
        "location": Location("明星北区14号楼", "明星社区", building="14"),
        "caller": Caller("魏女士", "13812341234"),
        "unit": UNIT,
        "deadlines": STANDARD_POLICY.deadlines_for(Kind.HELP, "housing.drainage", Urgency.NORMAL, T0),
        "occurred_at": T0,
        "actor": CENTRE,
        "recorded_at": T0,
    }
    fields.update(changes)
    return fields


def received(**changes: object) -> Ticket:
    return Ticket.receive(**receipt(**changes))  # type: ignore[arg-type]


def proactive() -> Ticket:
    return received(channel=IntakeChannel.PROACTIVE, caller=None, external_ref=None)


def contact(ticket: Ticket, at: datetime, reached: object = True, **changes: object) -> None:
    fields = {"channel": ContactChannel.PHONE, "reached": reached, "note": "已联系来电人"} | changes
    ticket.contact(**fields, occurred_at=at, actor=WORKER, recorded_at=NOW)  # type: ignore[arg-type]


def visit(ticket: Ticket, at: datetime, **changes: object) -> None:
    fields = {"findings": "现场积水30厘米", "photos": ["p/1.jpg"]} | changes
    ticket.visit_site(**fields, occurred_at=at, actor=WORKER, recorded_at=NOW)  # type: ignore[arg-type]


def coordinate(ticket: Ticket, at: datetime, **changes: object) -> None:
    fields = {"party": Party("城肥一处", "sewer"), "request": "疏通管道", "reply": None} | changes
    ticket.coordinate(**fields, occurred_at=at, actor=WORKER, recorded_at=NOW)  # type: ignore[arg-type]


def resolve(ticket: Ticket, at: datetime, **changes: object) -> None:
    fields = {"outcome": Outcome.SOLVED, "reply": "已疏通", "reason": None} | changes
    ticket.resolve(**fields, occurred_at=at, actor=WORKER, recorded_at=NOW)  # type: ignore[arg-type]


def feedback(ticket: Ticket, at: datetime, rating: Satisfaction | None, **changes: object) -> None:
    reached = rating is not None
    fields: dict[str, object] = {
        "caller_reached": reached,
        "contact_confirmed": True if reached else None,
        "solved": True if reached else None,
        "satisfaction": rating,
        "comment": None,
    } | changes
    ticket.give_feedback(**fields, occurred_at=at, actor=CENTRE, recorded_at=NOW)  # type: ignore[arg-type]


def praise(ticket: Ticket, at: datetime, **changes: object) -> None:
    fields = {"channel": PraiseChannel.HOTLINE, "by": "魏女士", "message": "感谢社区!"} | changes
    ticket.praise(**fields, occurred_at=at, actor=CENTRE, recorded_at=NOW)  # type: ignore[arg-type]


def resolved_with_caller() -> Ticket:
    ticket = received()
    contact(ticket, later(hours=1))
    resolve(ticket, later(hours=2))
    return ticket


def closed_with_caller() -> Ticket:
    ticket = resolved_with_caller()
    feedback(ticket, later(days=1), Satisfaction.SATISFIED)
    return ticket


@dataclass(frozen=True)
class Snapshot:
    """Everything a command could change: the ticket's attributes and its unsaved events."""

    attributes: dict[str, object]
    pending: tuple[object, ...]

    @classmethod
    def of(cls, ticket: Ticket) -> Snapshot:
        attributes = {k: v for k, v in vars(ticket).items() if k != "_pending_events"}
        return cls(attributes, tuple(ticket.pending_events))
