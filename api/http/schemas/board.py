"""The status board and the response audit as a client reads them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.http.schemas.fields import Period, QueryBool
from api.http.schemas.tickets import DeadlinesOut
from application.privacy import text_for
from application.read_models import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    AuditQuery,
    AuditReport,
    BoardFilter,
    BoardRow,
    DeadlineState,
    Finding,
    Page,
    TicketAudit,
)
from domain.values import Kind, Outcome, Role, Satisfaction, Status, Urgency

Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="Page size (default 50, at most 500).")]
Cursor = Annotated[str | None, Field(max_length=1000, description="`next_cursor` of the previous page.")]


class BoardQuery(Period):
    """The status board's filters; every one optional."""

    model_config = ConfigDict(extra="forbid")
    status: Status | None = None
    unit: str | None = None
    community: str | None = None
    kind: Kind | None = None
    category: str | None = None
    urgency: Urgency | None = None
    responded: QueryBool | None = None
    overdue: QueryBool | None = None
    external_ref: str | None = None
    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor = None

    def where(self, unit: str | None) -> BoardFilter:
        fields = self.model_dump(exclude={"limit", "cursor"})
        return BoardFilter(**(fields | {"unit": unit}))


class BoardRowOut(BaseModel):
    id: UUID
    external_ref: str | None
    status: Status
    unit: str
    community: str
    kind: Kind
    category: str
    urgency: Urgency
    summary: str
    has_caller: bool
    responded: bool
    overdue: bool
    received_at: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    outcome: Outcome | None
    satisfaction: Satisfaction | None
    rework_count: int
    praise_count: int
    deadlines: DeadlinesOut
    version: int
    position: int

    @classmethod
    def of(
        cls, row: BoardRow, now: datetime, zone: timezone, role: Role, caller_name: str | None = None
    ) -> BoardRowOut:
        fields = {name: getattr(row, name) for name in cls.model_fields if name not in _DERIVED}
        fields["summary"] = text_for(role, row.summary, caller_name)  # the board keeps no caller's name
        times = {name: _local(getattr(row, name), zone) for name in _TIMES}
        deadlines = DeadlinesOut(
            respond_by=row.deadlines.respond_by.astimezone(zone),
            resolve_by=row.deadlines.resolve_by.astimezone(zone),
            policy=row.deadlines.policy,
        )
        return cls(**(fields | times), overdue=row.is_overdue(now), deadlines=deadlines)


_TIMES = ("received_at", "responded_at", "resolved_at", "closed_at")
_DERIVED = frozenset({*_TIMES, "overdue", "deadlines"})


class BoardPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [{
        "id": "6f1c3a52-8d0e-5b7a-9a51-2f0c0e6d8a11", "external_ref": "JN12345-20240110-0042",
        "status": "in_progress", "unit": "张庄路街道明星社区居委会", "community": "明星社区", "kind": "help",
        "category": "housing.drainage", "urgency": "normal", "summary": "14号楼下水管道堵塞",
        "has_caller": True, "responded": True, "overdue": False,
        "received_at": "2024-01-10T09:00:00+08:00", "responded_at": "2024-01-10T09:40:00+08:00",
        "resolved_at": None, "closed_at": None, "outcome": None, "satisfaction": None,
        "rework_count": 0, "praise_count": 0, "version": 3, "position": 17,
        "deadlines": {"respond_by": "2024-01-11T09:00:00+08:00", "resolve_by": "2024-01-15T09:00:00+08:00",
                      "policy": "standard-2024"},
    }], "next_cursor": None}]})  # fmt: skip
    items: list[BoardRowOut]
    next_cursor: str | None

    @classmethod
    def of(
        cls,
        page: Page[BoardRow],
        now: datetime,
        zone: timezone,
        role: Role,
        caller_names: Mapping[UUID, str | None],
    ) -> BoardPage:
        items = [BoardRowOut.of(row, now, zone, role, caller_names.get(row.id)) for row in page.items]
        return cls(items=items, next_cursor=page.next_cursor)


class AuditQueryIn(Period):
    """Which tickets the audit covers: one unit or all, received in [received_from, received_to)."""

    model_config = ConfigDict(extra="forbid")
    unit: str | None = None
    limit: Limit = DEFAULT_LIMIT

    def query(self, unit: str | None) -> AuditQuery:
        return AuditQuery(unit=unit, received_from=self.received_from, received_to=self.received_to)


class FindingQueryIn(AuditQueryIn):
    cursor: Cursor = None


class TicketAuditOut(BaseModel):
    ticket_id: UUID
    external_ref: str | None
    unit: str
    status: Status
    received_at: datetime
    respond_by: datetime
    resolve_by: datetime
    first_response_at: datetime | None
    outcome: Outcome | None
    outcome_at: datetime | None
    response_seconds: float | None
    response_deadline: DeadlineState | None
    resolution_deadline: DeadlineState
    findings: list[Finding]
    rework_count: int
    praise_count: int
    version: int

    @classmethod
    def of(cls, audit: TicketAudit, zone: timezone) -> TicketAuditOut:
        facts = audit.facts
        fields: dict[str, object] = {name: getattr(facts, name) for name in _FACTS}
        fields |= {name: _local(getattr(facts, name), zone) for name in _FACT_TIMES}
        return cls.model_validate(fields | {
            "response_seconds": None if audit.response_time is None else audit.response_time.total_seconds(),
            "response_deadline": audit.response_deadline,
            "resolution_deadline": audit.resolution_deadline,
            "findings": sorted(audit.findings, key=lambda f: f.value),
        })  # fmt: skip


_FACTS = ("ticket_id", "external_ref", "unit", "status", "outcome", "rework_count", "praise_count", "version")
_FACT_TIMES = ("received_at", "respond_by", "resolve_by", "first_response_at", "outcome_at")


class FindingPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [{
        "ticket_id": "3f4c7c97-9e04-5eda-afb4-0269b406a489", "external_ref": "JN12345-20230116-0088",
        "unit": "张庄路街道明星社区居委会", "status": "in_progress",
        "received_at": "2023-01-16T08:45:00+08:00", "respond_by": "2023-01-17T08:45:00+08:00",
        "resolve_by": "2023-01-21T08:45:00+08:00", "first_response_at": "2023-01-17T10:20:00+08:00",
        "outcome": None, "outcome_at": None, "response_seconds": 91500.0, "response_deadline": "missed",
        "resolution_deadline": "pending", "findings": ["late_response"], "rework_count": 0,
        "praise_count": 0, "version": 3,
    }], "next_cursor": "MjAyMy0wMS0xNlQwMDo0NTowMCswMDowMHwzZjRjN2M5N3xhYmMxMjM",
        "next": "/v1/audit/responses/late_response?unit=…&limit=1&cursor=MjAy…"}]})  # fmt: skip
    items: list[TicketAuditOut]
    next_cursor: str | None
    next: str | None = Field(
        default=None,
        description="The next page's path and query (`/v1/audit/responses/{finding}?…&cursor=…`), null on "
        "the last: the headline's pages go on there.",
    )

    @classmethod
    def of(
        cls, finding: Finding, page: Page[TicketAudit], query: AuditQuery, limit: int, zone: timezone
    ) -> FindingPage:
        return cls(
            items=[TicketAuditOut.of(a, zone) for a in page.items],
            next_cursor=page.next_cursor,
            next=None if page.next_cursor is None else _next_page(finding, query, limit, page.next_cursor),
        )


def _next_page(finding: Finding, query: AuditQuery, limit: int, cursor: str) -> str:
    """Where a finding's next page is: the same unit, period and page size, from `cursor`."""
    period = {"received_from": query.received_from, "received_to": query.received_to}
    given = {"unit": query.unit, **{k: v.isoformat() for k, v in period.items() if v is not None}}
    params = {k: v for k, v in given.items() if v is not None} | {"limit": limit, "cursor": cursor}
    return f"/v1/audit/responses/{finding.value}?{urlencode(params)}"


class HeadlineOut(BaseModel):
    tickets: int
    need_response: int
    responded: int
    responded_on_time: int
    counts: dict[Finding, int]
    sentence: str


class AuditOut(BaseModel):
    """事事有回音、件件有着落: the headline counts and the tickets behind each finding."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "judged_at": "2024-01-20T09:00:00+08:00", "unit": "张庄路街道明星社区居委会",
        "headline": {"tickets": 12, "need_response": 10, "responded": 10, "responded_on_time": 9,
                     "counts": {"late_response": 1, "reworked": 1},
                     "sentence": "10 of 10 tickets that need a response have one; 9 of them on time"},
        "findings": {"awaiting_response": {"items": [], "next_cursor": None}},
    }]})  # fmt: skip
    judged_at: datetime
    unit: str | None
    headline: HeadlineOut
    findings: dict[Finding, FindingPage]

    @classmethod
    def of(cls, report: AuditReport, limit: int, zone: timezone) -> AuditOut:
        headline = report.headline
        return cls(
            judged_at=report.judged_at.astimezone(zone),
            unit=report.query.unit,
            headline=HeadlineOut(
                tickets=headline.tickets,
                need_response=headline.need_response,
                responded=headline.responded,
                responded_on_time=headline.responded_on_time,
                counts=dict(headline.counts),
                sentence=headline.sentence,
            ),
            findings={
                finding: FindingPage.of(finding, page, report.query, limit, zone)
                for finding, page in report.findings.items()
            },
        )


def _local(moment: datetime | None, zone: timezone) -> datetime | None:
    return None if moment is None else moment.astimezone(zone)
