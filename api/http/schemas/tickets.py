"""What a client reads about a ticket: its state, its history and the global feed, masked by role."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import cast
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from application.feed import FeedEntry, FeedPage
from application.privacy import caller_for, event_data_for, location_for, text_for
from application.views import HistoryEntry, TicketState, data_in_zone
from domain.values import Actor, IntakeChannel, Kind, Outcome, Role, Satisfaction, Status, Urgency

TICKET_EXAMPLE: dict[str, JsonValue] = {
    "id": "6f1c3a52-8d0e-5b7a-9a51-2f0c0e6d8a11", "external_ref": "JN12345-20240110-0042",
    "status": "closed", "version": 6, "channel": "hotline", "kind": "help",
    "category": "housing.drainage", "urgency": "normal", "summary": "14号楼下水管道堵塞",
    "description": "明星北区14号楼下水管道堵塞，春节前急需疏通。",
    "location": {"address": "明星北区14号楼", "community": "明星社区", "building": "14",
                 "lat": None, "lon": None},
    "caller": {"name": "魏**", "phone": "138****1234", "confidential": False},
    "unit": "张庄路街道明星社区居委会",
    "received_at": "2024-01-10T09:00:00+08:00", "responded_at": "2024-01-10T09:40:00+08:00",
    "resolved_at": "2024-01-10T17:00:00+08:00", "closed_at": "2024-01-11T10:00:00+08:00",
    "outcome": "solved", "satisfaction": "satisfied", "rework_count": 0, "praise_count": 1,
    "deadlines": {"respond_by": "2024-01-11T09:00:00+08:00", "resolve_by": "2024-01-15T09:00:00+08:00",
                  "policy": "standard-2024"},
}  # fmt: skip


class LocationOut(BaseModel):
    address: str
    community: str
    building: str | None
    lat: float | None
    lon: float | None


class CallerOut(BaseModel):
    name: str | None
    phone: str | None
    confidential: bool


class DeadlinesOut(BaseModel):
    respond_by: datetime
    resolve_by: datetime
    policy: str


class TicketOut(BaseModel):
    """A ticket as it is (or was): the shape every command answers with."""

    model_config = ConfigDict(json_schema_extra={"examples": [TICKET_EXAMPLE]})
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
    location: LocationOut
    caller: CallerOut | None
    unit: str
    received_at: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    outcome: Outcome | None
    satisfaction: Satisfaction | None
    rework_count: int
    praise_count: int
    deadlines: DeadlinesOut

    @classmethod
    def of(cls, state: TicketState, role: Role, zone: timezone) -> TicketOut:
        caller = caller_for(role, state.caller)
        caller_name = None if state.caller is None else state.caller.name
        return cls(
            **{name: getattr(state, name) for name in _PLAIN},
            summary=text_for(role, state.summary, caller_name),
            description=text_for(role, state.description, caller_name),
            location=LocationOut(**vars(location_for(role, state.location, caller_name))),
            caller=None if caller is None else CallerOut(**vars(caller)),
            received_at=state.received_at.astimezone(zone),
            responded_at=_local(state.responded_at, zone),
            resolved_at=_local(state.resolved_at, zone),
            closed_at=_local(state.closed_at, zone),
            deadlines=DeadlinesOut(
                respond_by=state.deadlines.respond_by.astimezone(zone),
                resolve_by=state.deadlines.resolve_by.astimezone(zone),
                policy=state.deadlines.policy,
            ),
        )


_PLAIN = ("id", "external_ref", "status", "version", "channel", "kind", "category", "urgency", "unit",
          "outcome", "satisfaction", "rework_count", "praise_count")  # fmt: skip


class ActorOut(BaseModel):
    id: str
    role: Role
    unit: str


class HistoryEntryOut(BaseModel):
    """One recorded event of a ticket."""

    ticket_id: UUID
    version: int
    type: str
    occurred_at: datetime
    recorded_at: datetime
    actor: ActorOut
    data: dict[str, JsonValue]

    @classmethod
    def of(
        cls, entry: HistoryEntry, role: Role, zone: timezone, caller_name: str | None = None
    ) -> HistoryEntryOut:
        """`caller_name`: the name the ticket's intake gave its caller, masked in this entry's texts too."""
        data = data_in_zone(event_data_for(role, entry.data, caller_name), zone)
        return cls(
            ticket_id=entry.ticket_id,
            version=entry.version,
            type=entry.type,
            occurred_at=entry.occurred_at.astimezone(zone),
            recorded_at=entry.recorded_at.astimezone(zone),
            actor=_actor(entry.actor),
            data=cast(dict[str, JsonValue], data),
        )


class HistoryOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"ticket_id": TICKET_EXAMPLE["id"], "items": [{
        "ticket_id": TICKET_EXAMPLE["id"], "version": 2, "type": "coordinated",
        "occurred_at": "2024-01-10T09:30:00+08:00", "recorded_at": "2024-01-10T09:31:12+08:00",
        "actor": {"id": "mabin", "role": "worker", "unit": "张庄路街道明星社区居委会"},
        "data": {"party": {"name": "城肥一处", "code": "sewer"}, "request": "请派疏通人员",
                 "reply": "下午到场"},
    }], "next_cursor": None}]})  # fmt: skip
    ticket_id: UUID
    items: list[HistoryEntryOut]
    next_cursor: str | None  # null on the last page


class FeedEventOut(HistoryEntryOut):
    """An event in the global feed, with its position in commit order."""

    position: int

    @classmethod
    def of_entry(cls, fed: FeedEntry, role: Role, zone: timezone) -> FeedEventOut:
        entry = HistoryEntryOut.of(fed.entry, role, zone, fed.caller_name)
        return cls(**entry.model_dump(), position=fed.position)


class FeedOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [{
        "position": 42, "ticket_id": TICKET_EXAMPLE["id"], "version": 1, "type": "received",
        "occurred_at": "2024-01-10T09:00:00+08:00", "recorded_at": "2024-01-10T09:00:03+08:00",
        "actor": {"id": "centre-1", "role": "intake", "unit": "济南12345"},
        "data": {"summary": "14号楼下水管道堵塞", "caller": {"name": "魏**", "phone": "138****1234"}},
    }], "next_cursor": "42", "last_position": 42}]})  # fmt: skip
    items: list[FeedEventOut]
    next_cursor: str | None
    last_position: int = Field(description="Where to poll from next: the last event's position, or `after`.")

    @classmethod
    def of(cls, page: FeedPage, role: Role, zone: timezone) -> FeedOut:
        last = page.last_position
        return cls(
            items=[FeedEventOut.of_entry(fed, role, zone) for fed in page.entries],
            next_cursor=str(last) if page.more else None,  # null once nothing more was recorded
            last_position=last,
        )


def _local(moment: datetime | None, zone: timezone) -> datetime | None:
    return None if moment is None else moment.astimezone(zone)


def _actor(actor: Actor) -> ActorOut:
    return ActorOut(id=actor.id, role=actor.role, unit=actor.unit)
