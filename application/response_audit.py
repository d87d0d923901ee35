"""The response audit (事事有回音、件件有着落): facts per ticket, findings judged when asked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from uuid import UUID

from application.paging import Page, in_period
from domain.values import Outcome, Satisfaction, Status

OPEN = (Status.RECEIVED, Status.IN_PROGRESS)  # still owes an outcome
WITH_OUTCOME = (Status.RESOLVED, Status.CLOSED)


class DeadlineState(Enum):
    MET = "met"
    MISSED = "missed"
    PENDING = "pending"


class Finding(Enum):
    AWAITING_RESPONSE = "awaiting_response"  # needs a response and has none yet
    LATE_RESPONSE = "late_response"  # the first response came after its deadline
    NO_OUTCOME_OVERDUE = "no_outcome_overdue"  # still open past its resolution deadline
    AWAITING_FEEDBACK = "awaiting_feedback"  # resolved, waiting for the centre's call
    REWORKED = "reworked"  # an unsatisfied caller sent it back at least once


@dataclass(frozen=True)
class FeedbackFact:
    """One follow-up call (回访) and its rating."""

    occurred_at: datetime
    caller_reached: bool
    contact_confirmed: bool | None
    solved: bool | None
    satisfaction: Satisfaction | None


@dataclass(frozen=True)
class AuditFacts:
    """What the log says about one ticket's response and outcome; judged against a time by `judge`."""

    ticket_id: UUID
    external_ref: str | None
    unit: str
    status: Status
    has_caller: bool
    received_at: datetime
    respond_by: datetime
    resolve_by: datetime
    first_response_at: datetime | None
    outcome: Outcome | None
    outcome_at: datetime | None  # the time of the outcome standing now (None while open)
    feedback: tuple[FeedbackFact, ...]
    rework_count: int
    praise_count: int
    version: int
    position: int

    @property
    def needs_response(self) -> bool:
        return self.has_caller

    def response_deadline(self, now: datetime) -> DeadlineState:
        return judge_deadline(self.first_response_at, self.respond_by, now)

    def resolution_deadline(self, now: datetime) -> DeadlineState:
        return judge_deadline(self.outcome_at, self.resolve_by, now)

    def findings(self, now: datetime) -> frozenset[Finding]:
        found = set()
        if self.needs_response and self.first_response_at is None:
            found.add(Finding.AWAITING_RESPONSE)
        if self.first_response_at is not None and self.first_response_at > self.respond_by:
            found.add(Finding.LATE_RESPONSE)
        if self.status in OPEN and now > self.resolve_by:
            found.add(Finding.NO_OUTCOME_OVERDUE)
        if self.status is Status.RESOLVED:
            found.add(Finding.AWAITING_FEEDBACK)
        if self.rework_count > 0:
            found.add(Finding.REWORKED)
        return frozenset(found)

    def judge(self, now: datetime) -> TicketAudit:
        """These facts with each deadline and finding judged at `now`."""
        response_time = None
        if self.first_response_at is not None:
            response_time = self.first_response_at - self.received_at
        return TicketAudit(
            facts=self,
            judged_at=now,
            response_time=response_time,
            response_deadline=self.response_deadline(now) if self.needs_response else None,
            resolution_deadline=self.resolution_deadline(now),
            findings=self.findings(now),
        )


def judge_deadline(done_at: datetime | None, due: datetime, now: datetime) -> DeadlineState:
    """Met or missed once done; before that missed once `due` passed, else still pending."""
    if done_at is not None:
        return DeadlineState.MET if done_at <= due else DeadlineState.MISSED
    return DeadlineState.MISSED if now > due else DeadlineState.PENDING


@dataclass(frozen=True)
class TicketAudit:
    """One ticket's audit trail, judged at `judged_at`."""

    facts: AuditFacts
    judged_at: datetime
    response_time: timedelta | None  # received → caller first reached
    response_deadline: DeadlineState | None  # None: no caller, no response owed
    resolution_deadline: DeadlineState
    findings: frozenset[Finding]


@dataclass(frozen=True)
class AuditQuery:
    """Which tickets the audit covers: one unit or all, received in [received_from, received_to)."""

    unit: str | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None

    def covers(self, facts: AuditFacts) -> bool:
        unit_ok = self.unit is None or facts.unit == self.unit
        return unit_ok and in_period(facts.received_at, self.received_from, self.received_to)


@dataclass(frozen=True)
class AuditHeadline:
    """The counts behind "N of M tickets that need a response have one; K of them on time"."""

    tickets: int
    need_response: int  # M
    responded: int  # N
    responded_on_time: int  # K
    counts: Mapping[Finding, int] = field(default_factory=dict)

    @classmethod
    def of(cls, facts: Iterable[AuditFacts], now: datetime) -> AuditHeadline:
        """The headline over these tickets, judged at `now` (the reference the SQL views agree with)."""
        tickets = need = responded = on_time = 0
        counts = dict.fromkeys(Finding, 0)
        for fact in facts:
            tickets += 1
            need += fact.needs_response
            responded += fact.needs_response and fact.first_response_at is not None
            on_time += fact.needs_response and fact.response_deadline(now) is DeadlineState.MET
            for finding in fact.findings(now):
                counts[finding] += 1
        return cls(tickets, need, responded, on_time, counts)

    @property
    def sentence(self) -> str:
        return (
            f"{self.responded} of {self.need_response} tickets that need a response have one; "
            f"{self.responded_on_time} of them on time"
        )


@dataclass(frozen=True)
class AuditReport:
    """The headline and the first page of every finding, judged at `judged_at`."""

    query: AuditQuery
    judged_at: datetime
    headline: AuditHeadline
    findings: Mapping[Finding, Page[TicketAudit]]
