"""What a client asks the hotline to record: one command per lifecycle event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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


@dataclass(frozen=True)
class ReceiveTicket:
    channel: IntakeChannel
    kind: Kind
    category: str
    urgency: Urgency
    summary: str
    description: str
    location: Location
    unit: str
    caller: Caller | None = None
    external_ref: str | None = None
    occurred_at: datetime | None = None  # defaults to the moment of recording


@dataclass(frozen=True)
class RecordContact:
    occurred_at: datetime
    channel: ContactChannel
    reached: bool
    note: str | None = None


@dataclass(frozen=True)
class RecordSiteVisit:
    occurred_at: datetime
    findings: str
    photos: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RecordCoordination:
    occurred_at: datetime
    party: Party
    request: str
    reply: str | None = None


@dataclass(frozen=True)
class ResolveTicket:
    occurred_at: datetime
    outcome: Outcome
    reply: str
    reason: str | None = None


@dataclass(frozen=True)
class RecordFeedback:
    occurred_at: datetime
    caller_reached: bool
    contact_confirmed: bool | None = None
    solved: bool | None = None
    satisfaction: Satisfaction | None = None
    comment: str | None = None


@dataclass(frozen=True)
class RecordPraise:
    occurred_at: datetime
    channel: PraiseChannel
    message: str
    by: str | None = None
