"""The two projections of the ticket log and what they need of their views (storage lives elsewhere).

Each batch of events is folded in memory and written with its tracking position in one transaction by
the view, so an event is applied exactly once whether the batch holds one event (live) or thousands
(catch-up, rebuild).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Mapper, Tracking, TrackingRecorder
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from application.handling import CaseHandling
from application.read_models import (
    DEFAULT_LIMIT,
    AuditFacts,
    AuditHeadline,
    AuditQuery,
    AuditReport,
    BoardRow,
    Finding,
    Page,
    TicketAudit,
)
from application.ticket_folds import Positioned, audit_after_all, board_after_all
from application.view_events import VIEW_EVENTS, Received, ViewEvent, ViewEventMapper

TICKET_TOPICS: tuple[str, ...] = tuple(get_topic(event.domain_type) for event in VIEW_EVENTS)
Row = TypeVar("Row")


@dataclass(frozen=True)
class UnreadableRow:
    """A stored row that cannot be read back as a row at all (a value edited into something no fold
    writes): named by what its id column holds."""

    stored_id: str


class TicketRowsView(TrackingRecorder, ABC, Generic[Row]):
    """A view holding one row per ticket, written together with its tracking position."""

    @abstractmethod
    def rows_for(self, ticket_ids: Collection[UUID]) -> Mapping[UUID, Row]:
        """The stored rows of these tickets (missing ones are absent)."""

    @abstractmethod
    def save_rows(self, new: Sequence[Row], changed: Sequence[Row], tracking: Tracking) -> None:
        """Insert the `new` rows (of tickets the view holds no row for), replace the `changed` ones and
        record the tracking position, in one transaction: IntegrityError, and nothing written, if the
        position is not ahead or a new row's ticket already has one."""

    @abstractmethod
    def clear(self, application_name: str) -> None:
        """Forget every row and the tracking position, in one transaction (before a rebuild)."""

    @abstractmethod
    def all_rows(self) -> Iterator[Row | UnreadableRow]:
        """Every row the view holds, in no particular order (for checking it against the log)."""

    def is_created(self) -> bool:
        """Whether the store holds the view's tables: a new version has none until the views are kept."""
        return True

    def missing_indexes(self) -> list[str]:
        """The view's secondary indexes the store lacks: those of a rebuild killed before it built them."""
        return []

    def drop_indexes(self) -> None:
        """Before a rebuild refills the view: a store may drop its secondary indexes (the primary key stays),
        to build them once over all the rows after (`index_builds`, or when the view is next opened)."""

    def index_builds(self) -> list[Callable[[], None]]:
        """One call per secondary index, each building it if missing, in its own transaction."""
        return []


class StatusBoardView(TicketRowsView[BoardRow], ABC):
    pass


class ResponseAuditView(TicketRowsView[AuditFacts], ABC):
    """The audit rows; every store answers the report the same way, from its findings and headline."""

    def report(self, query: AuditQuery, *, now: datetime, limit: int = DEFAULT_LIMIT) -> AuditReport:
        findings = {finding: self.finding(finding, query, now=now, limit=limit) for finding in Finding}
        return AuditReport(query, now, self.headline(query, now=now), findings)

    @abstractmethod
    def finding(
        self,
        finding: Finding,
        query: AuditQuery,
        *,
        now: datetime,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[TicketAudit]: ...

    @abstractmethod
    def headline(self, query: AuditQuery, *, now: datetime) -> AuditHeadline: ...


class TicketProjection(Projection[Any], ABC, Generic[Row]):
    """Folds ticket events into one row per ticket; `process_batch` is the whole write path.

    The events are `ViewEvent`s: whoever reads the log for a projection reads it with `ViewEventMapper`.
    """

    topics = TICKET_TOPICS
    fold: Callable[[Row | None, Sequence[Positioned]], Row]
    ticket_of: Callable[[Row], UUID]  # whose row it is
    # What the rows mean: raised whenever the fold or the row's fields change, so that rows folded by an
    # older release are never read as this one's. A new version's view starts empty (its tables and
    # position are its own) and is filled from the log by whoever keeps the views.
    version: int

    @property
    def rows(self) -> TicketRowsView[Row]:
        view: TicketRowsView[Row] = self.view
        return view

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)  # not a ticket event: only the position moves

    @process_event.register
    def _ticket_event(self, domain_event: ViewEvent, tracking: Tracking) -> None:
        self.process_batch([(domain_event, tracking.notification_id)], tracking)

    def process_batch(self, events: Sequence[Positioned], up_to: Tracking) -> None:
        """Apply these events (each with its log position, in log order) and record the position `up_to`,
        all in one transaction."""
        if events:
            self.process_tickets(by_ticket(events), up_to)

    def process_tickets(self, tickets: TicketEvents, up_to: Tracking) -> None:
        """`process_batch` with the events already grouped by ticket."""
        continued = tickets.continued
        stored = self.rows.rows_for(continued) if continued else {}
        self.rows.save_rows(
            [self.fold(None, events) for events in tickets.received],
            [self.fold(stored.get(ticket_id), events) for ticket_id, events in continued.items()],
            up_to,
        )


@dataclass(frozen=True)
class TicketEvents:
    """A batch's events grouped by ticket, each ticket's in log order. A ticket received within the batch
    starts afresh; only the others continue a row the view has stored."""

    received: Sequence[Sequence[Positioned]]
    continued: Mapping[UUID, Sequence[Positioned]]


def by_ticket(events: Iterable[Positioned]) -> TicketEvents:
    """The events grouped by ticket, each ticket's in the order given."""
    grouped: dict[int, list[Positioned]] = {}
    for positioned in events:  # keyed by the id's int: it hashes in C, a UUID in Python (twice as long)
        grouped.setdefault(positioned[0].originator_id.int, []).append(positioned)
    received: list[Sequence[Positioned]] = []
    continued: dict[UUID, Sequence[Positioned]] = {}
    for ticket in grouped.values():
        first = ticket[0][0]
        if type(first) is Received:
            received.append(ticket)
        else:
            continued[first.originator_id] = ticket
    return TicketEvents(received, continued)


class StatusBoardProjection(TicketProjection[BoardRow]):
    name = "status_board"
    version = 2  # 2: the first response is the earliest reached contact, however late it was recorded
    fold = staticmethod(board_after_all)
    ticket_of = staticmethod(attrgetter("id"))


class ResponseAuditProjection(TicketProjection[AuditFacts]):
    name = "response_audit"
    version = 2  # 2: response and outcome rules in business time (DOMAIN.md rules 3 and 5)
    fold = staticmethod(audit_after_all)
    ticket_of = staticmethod(attrgetter("ticket_id"))


PROJECTIONS: tuple[type[TicketProjection[Any]], ...] = (StatusBoardProjection, ResponseAuditProjection)


class ViewFeed(CaseHandling):
    """The application as its projections read it (the ProjectionRunner's `application_class`): its
    ticket events come out of the log as `ViewEvent`s."""

    name = CaseHandling.name  # the same log (the library would otherwise name it after this class)

    def construct_mapper(self) -> Mapper[UUID]:
        return ViewEventMapper.like(super().construct_mapper())
