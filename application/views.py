"""What use-case queries return: frozen snapshots of a ticket and of its history, never aggregates."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import Enum
from uuid import UUID

from domain.deadlines import Deadlines
from domain.ticket import Ticket
from domain.values import (
    Actor,
    Caller,
    IntakeChannel,
    Kind,
    Location,
    Outcome,
    Satisfaction,
    Status,
    Urgency,
)

EVENT_TYPES: Mapping[type[Ticket.Event], str] = {
    Ticket.Received: "received",
    Ticket.Contacted: "contacted",
    Ticket.SiteVisited: "site-visited",
    Ticket.Coordinated: "coordinated",
    Ticket.Resolved: "resolved",
    Ticket.FeedbackGiven: "feedback-given",
    Ticket.Praised: "praised",
}
BASE_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})
COMMON_FIELDS = BASE_FIELDS | {"occurred_at", "actor"}


@dataclass(frozen=True)
class TicketState:
    id: UUID
    external_ref: str | None
    status: Status
    version: int
    channel: IntakeChannel
    kind: Kind
    category: str
    urgency: Urgency
    summary: str
    description: str
    location: Location
    caller: Caller | None
    unit: str
    received_at: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    outcome: Outcome | None
    satisfaction: Satisfaction | None
    rework_count: int
    praise_count: int
    deadlines: Deadlines

    @classmethod
    def of(cls, ticket: Ticket) -> TicketState:
        return cls(
            id=ticket.id,
            external_ref=ticket.external_ref,
            status=ticket.status,
            version=ticket.version,
            channel=ticket.channel,
            kind=ticket.kind,
            category=ticket.category,
            urgency=ticket.urgency,
            summary=ticket.summary,
            description=ticket.description,
            location=ticket.location,
            caller=ticket.caller,
            unit=ticket.unit,
            received_at=ticket.received_at,
            responded_at=ticket.responded_at,
            resolved_at=ticket.resolved_at,
            closed_at=ticket.closed_at,
            outcome=ticket.outcome,
            satisfaction=ticket.satisfaction,
            rework_count=ticket.rework_count,
            praise_count=ticket.praise_count,
            deadlines=ticket.deadlines,
        )


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded event, as an auditor reads it."""

    ticket_id: UUID
    version: int
    type: str
    occurred_at: datetime
    recorded_at: datetime
    actor: Actor
    data: Mapping[str, object]  # the event's own fields, as JSON-ready primitives

    @classmethod
    def of(cls, event: Ticket.Event) -> HistoryEntry:
        fields = {
            f.name: to_primitive(getattr(event, f.name))
            for f in dataclasses.fields(event)
            if f.name not in COMMON_FIELDS
        }
        return cls(
            ticket_id=event.originator_id,
            version=event.originator_version,
            type=EVENT_TYPES[type(event)],
            occurred_at=event.occurred_at,
            recorded_at=event.recorded_at,
            actor=event.actor,
            data=fields,
        )


def to_primitive(value: object, zone: tzinfo | None = None) -> object:
    """Enums to their values, records to dicts, times to ISO 8601 (in `zone`, if given), recursively."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return (value if zone is None else value.astimezone(zone)).isoformat()
    if isinstance(value, UUID):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_primitive(getattr(value, f.name), zone) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_primitive(item, zone) for item in value]
    return value


def data_in_zone(data: Mapping[str, object], zone: tzinfo) -> dict[str, object]:
    """An event's data (as primitives) with the times it holds (the intake's deadlines) in `zone`, as every
    other time is given."""
    deadlines = data.get("deadlines")
    if not isinstance(deadlines, Mapping):
        return dict(data)
    zoned = {
        name: datetime.fromisoformat(value).astimezone(zone).isoformat()
        if name in DEADLINE_TIMES and isinstance(value, str)
        else value
        for name, value in deadlines.items()
    }
    return {**data, "deadlines": zoned}


DEADLINE_TIMES = ("respond_by", "resolve_by")
