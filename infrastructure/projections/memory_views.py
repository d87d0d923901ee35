"""The two views in memory (the library's POPO tracking recorder), for tests and the memory:// store."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import chain
from typing import Generic, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.popo import POPOTrackingRecorder

from application.projections import ResponseAuditView, StatusBoardView, UnreadableRow
from application.read_models import (
    DEFAULT_LIMIT,
    AuditFacts,
    AuditHeadline,
    AuditQuery,
    BoardFilter,
    BoardRow,
    Finding,
    Page,
    TicketAudit,
    require_limit,
)
from infrastructure.projections.cursors import decode_cursor, encode_cursor
from infrastructure.projections.tracked import TrackedPosition

Row = TypeVar("Row", BoardRow, AuditFacts)
Key = Callable[[Row], tuple[datetime, UUID]]


def _board_key(row: BoardRow) -> tuple[datetime, UUID]:
    return row.received_at, row.id


def _audit_key(facts: AuditFacts) -> tuple[datetime, UUID]:
    return facts.received_at, facts.ticket_id


class MemoryRows(POPOTrackingRecorder, TrackedPosition, Generic[Row]):
    key: Key[Row]

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[UUID, Row] = {}

    def rows_for(self, ticket_ids: Collection[UUID]) -> Mapping[UUID, Row]:
        with self._database_lock:
            return {i: self._rows[i] for i in ticket_ids if i in self._rows}

    def all_rows(self) -> Iterator[Row | UnreadableRow]:
        with self._database_lock:
            return iter(list(self._rows.values()))

    def save_rows(self, new: Sequence[Row], changed: Sequence[Row], tracking: Tracking) -> None:
        with self._database_lock:
            self._assert_tracking_uniqueness(tracking)
            held = [ticket_id for ticket_id in map(self._ticket_id, new) if ticket_id in self._rows]
            if held:
                raise IntegrityError(f"the view already holds a row for ticket {held[0]}")
            self._rows.update((self._ticket_id(row), row) for row in chain(new, changed))
            self._insert_tracking(tracking)

    def _ticket_id(self, row: Row) -> UUID:
        return self.key(row)[1]

    def clear(self, application_name: str) -> None:
        with self._database_lock:
            self._rows.clear()
            self._max_tracking_ids.pop(application_name, None)

    def _page(self, rows: Iterable[Row], limit: int, cursor: str | None, query: object) -> Page[Row]:
        limit = require_limit(limit)
        after = None if cursor is None else decode_cursor(cursor, query)
        ordered = sorted((r for r in rows if after is None or self.key(r) > after), key=self.key)
        if len(ordered) <= limit:
            return Page(tuple(ordered), None)
        return Page(tuple(ordered[:limit]), encode_cursor(*self.key(ordered[limit - 1]), query))

    def _all(self) -> list[Row]:
        with self._database_lock:
            return list(self._rows.values())


class MemoryStatusBoardView(MemoryRows[BoardRow], StatusBoardView):
    view_name = "status_board"
    key = staticmethod(_board_key)

    def tickets(
        self, where: BoardFilter, *, now: datetime, limit: int = DEFAULT_LIMIT, cursor: str | None = None
    ) -> Page[BoardRow]:
        return self._page((r for r in self._all() if where.matches(r, now)), limit, cursor, where)

    def row(self, ticket_id: UUID) -> BoardRow | None:
        return self.rows_for([ticket_id]).get(ticket_id)

    def count(self, where: BoardFilter, *, now: datetime) -> int:
        return sum(where.matches(r, now) for r in self._all())


class MemoryResponseAuditView(MemoryRows[AuditFacts], ResponseAuditView):
    view_name = "response_audit"
    key = staticmethod(_audit_key)

    def finding(
        self,
        finding: Finding,
        query: AuditQuery,
        *,
        now: datetime,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[TicketAudit]:
        found = (f for f in self._all() if query.covers(f) and finding in f.findings(now))
        page = self._page(found, limit, cursor, (finding, query))
        return Page(tuple(facts.judge(now) for facts in page.items), page.next_cursor)

    def headline(self, query: AuditQuery, *, now: datetime) -> AuditHeadline:
        return AuditHeadline.of((f for f in self._all() if query.covers(f)), now)

    def ticket(self, ticket_id: UUID, *, now: datetime) -> TicketAudit | None:
        facts = self.rows_for([ticket_id]).get(ticket_id)
        return None if facts is None else facts.judge(now)
