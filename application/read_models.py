"""The read side's contract: the status board and the response audit, as the API reads them.

Both views are kept by projections of the event log (eventually consistent); `wait` gives an API
client its own writes. Time-judged answers ("overdue", "late") take `now` as an argument: deadlines
pass with time, not with events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.paging import DEFAULT_LIMIT, MAX_LIMIT, Page, in_period, require_limit
from application.response_audit import (
    OPEN,
    WITH_OUTCOME,
    AuditFacts,
    AuditHeadline,
    AuditQuery,
    AuditReport,
    DeadlineState,
    FeedbackFact,
    Finding,
    TicketAudit,
)
from domain.deadlines import Deadlines
from domain.values import Kind, Outcome, Satisfaction, Status, Urgency

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "OPEN",
    "WITH_OUTCOME",
    "AuditFacts",
    "AuditHeadline",
    "AuditQuery",
    "AuditReport",
    "BoardFilter",
    "BoardRow",
    "DeadlineState",
    "FeedbackFact",
    "Finding",
    "Page",
    "ProjectedView",
    "ReadSide",
    "ResponseAudit",
    "StatusBoard",
    "TicketAudit",
    "ViewBehindError",
    "require_limit",
]


class ViewBehindError(TimeoutError):
    """A view did not reach the asked log position within the bound (read-your-writes failed)."""

    def __init__(self, view: str, position: int, reached: int | None, timeout: float) -> None:
        self.view = view
        self.position = position
        self.reached = reached
        super().__init__(f"The {view} view is at {reached}, not yet at {position}, after {timeout:g} s.")


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
        return in_period(row.received_at, self.received_from, self.received_to)


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
