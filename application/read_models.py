"""The read side's contract: the status board and the response audit, as the API reads them.

Both views are kept by projections of the event log (eventually consistent); `wait` gives an API
client its own writes. Time-judged answers ("overdue", "late") take `now` as an argument: deadlines
pass with time, not with events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Generic, Protocol, TypeVar
from uuid import UUID

from domain.deadlines import Deadlines
from domain.errors import InvalidInputError
from domain.values import Kind, Outcome, Satisfaction, Status, Urgency

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
OPEN = (Status.RECEIVED, Status.IN_PROGRESS)
WITH_OUTCOME = (Status.RESOLVED, Status.CLOSED)


class ViewBehindError(TimeoutError):
    """A view did not reach the asked log position within the bound (read-your-writes failed)."""

    def __init__(self, view: str, position: int, reached: int | None, timeout: float) -> None:
        self.view = view
        self.position = position
        self.reached = reached
        super().__init__(f"The {view} view is at {reached}, not yet at {position}, after {timeout:g} s.")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list in a stable order; `next_cursor` (opaque) is None on the last page."""

    items: tuple[T, ...]
    next_cursor: str | None


# -- the status board ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    """One ticket on the status board, as of the log position `position`."""

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
    received_at: datetime
    responded_at: datetime | None  # the caller first reached (回音)
    resolved_at: datetime | None  # the latest resolution (着落)
    closed_at: datetime | None
    outcome: Outcome | None
    satisfaction: Satisfaction | None  # the latest rating
    rework_count: int
    praise_count: int
    deadlines: Deadlines
    version: int
    position: int

    @property
    def responded(self) -> bool:
        return self.responded_at is not None

    def is_overdue(self, now: datetime) -> bool:
        """No response past the response deadline, or no outcome past the resolution deadline."""
        late_response = self.has_caller and self.responded_at is None and now > self.deadlines.respond_by
        return late_response or (self.status in OPEN and now > self.deadlines.resolve_by)


@dataclass(frozen=True)
class BoardFilter:
    """What GET /v1/tickets filters on; None means any. `received_to` is exclusive, `overdue` uses `now`."""

    status: Status | None = None
    unit: str | None = None
    community: str | None = None
    kind: Kind | None = None
    category: str | None = None
    urgency: Urgency | None = None
    responded: bool | None = None
    overdue: bool | None = None
    external_ref: str | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None

    def matches(self, row: BoardRow, now: datetime) -> bool:
        """Whether `row` passes every filter given (the reference the SQL views agree with)."""
        wanted = (
            (self.status, row.status),
            (self.unit, row.unit),
            (self.community, row.community),
            (self.kind, row.kind),
            (self.category, row.category),
            (self.urgency, row.urgency),
            (self.responded, row.responded),
            (self.external_ref, row.external_ref),
        )
        if any(want is not None and want != have for want, have in wanted):
            return False
        if self.overdue is not None and self.overdue != row.is_overdue(now):
            return False
        return _in_period(row.received_at, self.received_from, self.received_to)


def _in_period(at: datetime, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or at >= start) and (end is None or at < end)


# -- the response audit (事事有回音、件件有着落) ------------------------------------------------------


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
        return _judge(self.first_response_at, self.respond_by, now)

    def resolution_deadline(self, now: datetime) -> DeadlineState:
        return _judge(self.outcome_at, self.resolve_by, now)

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


def _judge(done_at: datetime | None, due: datetime, now: datetime) -> DeadlineState:
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
        return unit_ok and _in_period(facts.received_at, self.received_from, self.received_to)


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


# -- what the API codes against --------------------------------------------------------------------


class ProjectedView(Protocol):
    """A view kept from the log: where it is, and a bounded wait for a position (read-your-writes)."""

    def position(self) -> int | None:
        """The last log position this view has applied (None before the first)."""
        ...

    def wait_for(self, position: int | None, timeout: float = 2.0) -> None:
        """Return once the view has applied `position`; raise ViewBehindError after `timeout` s."""
        ...


class StatusBoard(ProjectedView, Protocol):
    def tickets(
        self,
        where: BoardFilter,
        *,
        now: datetime,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[BoardRow]:
        """Rows matching `where` by (received_at, id); InvalidInputError on a bad cursor or limit."""
        ...

    def row(self, ticket_id: UUID) -> BoardRow | None: ...

    def count(self, where: BoardFilter, *, now: datetime) -> int: ...


class ResponseAudit(ProjectedView, Protocol):
    def report(self, query: AuditQuery, *, now: datetime, limit: int = DEFAULT_LIMIT) -> AuditReport:
        """The headline counts and the first `limit` tickets of each finding."""
        ...

    def finding(
        self,
        finding: Finding,
        query: AuditQuery,
        *,
        now: datetime,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[TicketAudit]:
        """The tickets with `finding` at `now`, ordered by (received_at, id)."""
        ...

    def headline(self, query: AuditQuery, *, now: datetime) -> AuditHeadline: ...

    def ticket(self, ticket_id: UUID, *, now: datetime) -> TicketAudit | None: ...


class ReadSide(Protocol):
    """Both views of one deployment, and a bounded wait until both have applied a log position."""

    @property
    def board(self) -> StatusBoard: ...

    @property
    def audit(self) -> ResponseAudit: ...

    def wait(self, position: int | None, timeout: float = 2.0) -> None:
        """Return once both views have applied `position`; raise ViewBehindError after `timeout` s."""
        ...


def require_limit(limit: int) -> int:
    """A page size the API accepts, else an error naming the field."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInputError("limit", f"must be between 1 and {MAX_LIMIT}")
    return limit
