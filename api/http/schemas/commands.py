"""What a client sends to record something: one body per command, each turned into the use case's command."""

from __future__ import annotations

from pydantic import BaseModel, Field, StrictBool

from api.http.schemas.fields import STRICT_INPUT, Moment
from application.commands import (
    ReceiveTicket,
    RecordContact,
    RecordCoordination,
    RecordFeedback,
    RecordPraise,
    RecordSiteVisit,
    ResolveTicket,
)
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

WHEN = "2024-01-10T09:00:00+08:00"


class LocationIn(BaseModel):
    model_config = STRICT_INPUT
    address: str
    community: str
    building: str | None = None
    lat: float | None = None
    lon: float | None = None


class CallerIn(BaseModel):
    model_config = STRICT_INPUT
    name: str | None = None
    phone: str | None = None
    confidential: StrictBool = False


class ReceiveIn(BaseModel):
    """A work order from the 12345 centre, or a worker's proactive ticket (未诉先办)."""

    model_config = STRICT_INPUT | {"json_schema_extra": {"examples": [{
        "external_ref": "JN12345-20240110-0042", "channel": "hotline", "kind": "help",
        "category": "housing.drainage", "urgency": "normal", "summary": "14号楼下水管道堵塞",
        "description": "明星北区14号楼下水管道堵塞，春节前急需疏通。",
        "location": {"address": "明星北区14号楼", "community": "明星社区", "building": "14"},
        "caller": {"name": "魏女士", "phone": "13812341234", "confidential": False},
        "unit": "张庄路街道明星社区居委会", "occurred_at": WHEN,
    }]}}  # fmt: skip
    external_ref: str | None = None
    channel: IntakeChannel
    kind: Kind
    category: str
    urgency: Urgency = Urgency.NORMAL
    summary: str
    description: str
    location: LocationIn
    caller: CallerIn | None = None
    unit: str
    occurred_at: Moment | None = None

    def to_command(self) -> ReceiveTicket:
        caller = self.caller
        return ReceiveTicket(
            channel=self.channel, kind=self.kind, category=self.category, urgency=self.urgency,
            summary=self.summary, description=self.description,
            location=Location(**self.location.model_dump()), unit=self.unit,
            caller=None if caller is None else Caller(caller.name, caller.phone, caller.confidential),
            external_ref=self.external_ref, occurred_at=self.occurred_at,
        )  # fmt: skip


class ContactIn(BaseModel):
    model_config = STRICT_INPUT | {"json_schema_extra": {"examples": [{
        "occurred_at": "2024-01-10T09:40:00+08:00", "channel": "phone", "reached": True,
        "note": "已电话联系魏女士，告知已对接城肥一处",
    }]}}  # fmt: skip
    occurred_at: Moment
    channel: ContactChannel
    reached: StrictBool
    note: str | None = None

    def to_command(self) -> RecordContact:
        return RecordContact(self.occurred_at, self.channel, self.reached, self.note)


class SiteVisitIn(BaseModel):
    model_config = STRICT_INPUT | {"json_schema_extra": {"examples": [{
        "occurred_at": "2024-01-10T14:00:00+08:00", "findings": "14号楼主管道堵塞，需清淤车进场",
        "photos": ["photos/14-drain-1.jpg"],
    }]}}  # fmt: skip
    occurred_at: Moment
    findings: str
    photos: list[str] = Field(default_factory=list, max_length=50)

    def to_command(self) -> RecordSiteVisit:
        return RecordSiteVisit(self.occurred_at, self.findings, tuple(self.photos))


class PartyIn(BaseModel):
    model_config = STRICT_INPUT
    name: str
    code: str | None = None


class CoordinationIn(BaseModel):
    model_config = STRICT_INPUT | {"json_schema_extra": {"examples": [{
        "occurred_at": "2024-01-10T09:30:00+08:00", "party": {"name": "城肥一处", "code": "sewer"},
        "request": "请派疏通人员清理14号楼下水管道", "reply": "下午到场",
    }]}}  # fmt: skip
    occurred_at: Moment
    party: PartyIn
    request: str
    reply: str | None = None

    def to_command(self) -> RecordCoordination:
        return RecordCoordination(
            self.occurred_at, Party(self.party.name, self.party.code), self.request, self.reply
        )


class ResolutionIn(BaseModel):
    model_config = STRICT_INPUT | {"json_schema_extra": {"examples": [{
        "occurred_at": "2024-01-10T17:00:00+08:00", "outcome": "solved",
        "reply": "城肥一处已完成疏通和清淤，管道恢复通畅",
    }]}}  # fmt: skip
    occurred_at: Moment
    outcome: Outcome
    reply: str
    reason: str | None = None

    def to_command(self) -> ResolveTicket:
        return ResolveTicket(self.occurred_at, self.outcome, self.reply, self.reason)


class FeedbackIn(BaseModel):
    model_config = STRICT_INPUT | {"json_schema_extra": {"examples": [{
        "occurred_at": "2024-01-11T10:00:00+08:00", "caller_reached": True, "contact_confirmed": True,
        "solved": True, "satisfaction": "satisfied", "comment": "春节期间生活正常了",
    }]}}  # fmt: skip
    occurred_at: Moment
    caller_reached: StrictBool
    contact_confirmed: StrictBool | None = None
    solved: StrictBool | None = None
    satisfaction: Satisfaction | None = None
    comment: str | None = None

    def to_command(self) -> RecordFeedback:
        return RecordFeedback(
            self.occurred_at, self.caller_reached, self.contact_confirmed, self.solved,
            self.satisfaction, self.comment,
        )  # fmt: skip


class PraiseIn(BaseModel):
    model_config = STRICT_INPUT | {"json_schema_extra": {"examples": [{
        "occurred_at": "2024-01-12T11:00:00+08:00", "channel": "hotline", "by": "魏女士",
        "message": "明星社区和城肥一处工作人员尽职尽责、反应迅速，实在太感谢他们了!",
    }]}}  # fmt: skip
    occurred_at: Moment
    channel: PraiseChannel
    by: str | None = None
    message: str

    def to_command(self) -> RecordPraise:
        return RecordPraise(self.occurred_at, self.channel, self.message, self.by)
