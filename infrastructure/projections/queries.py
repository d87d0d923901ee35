"""The read queries both SQL views share: filters, findings and headline counts as SQL, pages by cursor."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar
from uuid import UUID

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
from infrastructure.projections.dialects import DbRow, Dialect, Params
from infrastructure.projections.tables import AUDIT, BOARD, Table

T = TypeVar("T")
OPEN_STATUS = "status IN ('received', 'in_progress')"
OVERDUE = (
    f"((has_caller AND responded_at IS NULL AND respond_by < {{now}}) "
    f"OR ({OPEN_STATUS} AND resolve_by < {{now}}))"
)
FINDINGS = {
    Finding.AWAITING_RESPONSE: "(has_caller AND first_response_at IS NULL)",
    Finding.LATE_RESPONSE: "(first_response_at > respond_by)",
    Finding.NO_OUTCOME_OVERDUE: f"({OPEN_STATUS} AND resolve_by < {{now}})",
    Finding.AWAITING_FEEDBACK: "(status = 'resolved')",
    Finding.REWORKED: "(rework_count > 0)",
}
EQUAL_FILTERS = ("status", "unit", "community", "kind", "category", "urgency", "external_ref")


class Conditions:
    """A WHERE clause built up with its parameters, in one dialect."""

    def __init__(self, d: Dialect, now: datetime) -> None:
        self.d = d
        self.parts: list[str] = []
        self.params: Params = {"now": d.time_in(now)}

    def add(self, sql: str, **params: object) -> None:
        self.parts.append(sql.format(now=self.d.param("now"), **{k: self.d.param(k) for k in params}))
        self.params.update(params)

    def period(self, start: datetime | None, end: datetime | None) -> None:
        if start is not None:
            self.add("received_at >= {received_from}", received_from=self.d.time_in(start))
        if end is not None:
            self.add("received_at < {received_to}", received_to=self.d.time_in(end))

    def after(self, cursor: str | None, query: object) -> None:
        if cursor is not None:
            at, ticket_id = decode_cursor(cursor, query)
            self.add(
                "(received_at, id) > ({c_at}, {c_id})",
                c_at=self.d.time_in(at),
                c_id=self.d.uuid_in(ticket_id),
            )

    @property
    def sql(self) -> str:
        return " AND ".join(self.parts) or "TRUE"


def board_conditions(where: BoardFilter, now: datetime, d: Dialect) -> Conditions:
    c = Conditions(d, now)
    for name in EQUAL_FILTERS:
        value = getattr(where, name)
        if value is not None:
            c.add(f"{name} = {{{name}}}", **{name: getattr(value, "value", value)})
    if where.responded is not None:
        c.add(f"responded_at IS {'NOT ' if where.responded else ''}NULL")
    if where.overdue is not None:
        c.add(OVERDUE if where.overdue else f"NOT {OVERDUE}")
    c.period(where.received_from, where.received_to)
    return c


def audit_conditions(query: AuditQuery, now: datetime, d: Dialect) -> Conditions:
    c = Conditions(d, now)
    if query.unit is not None:
        c.add("unit = {unit}", unit=query.unit)
    c.period(query.received_from, query.received_to)
    return c


class SqlQueries(ABC):
    """Selecting pages of rows; the concrete view says how to run a SELECT and where its tables are."""

    dialect: Dialect

    @abstractmethod
    def _select(self, sql: str, params: Params) -> Sequence[DbRow]: ...

    @abstractmethod
    def _table_name(self, table: Table) -> str: ...

    def _page(
        self,
        table: Table,
        c: Conditions,
        limit: int,
        cursor: str | None,
        key: Callable[[T], tuple[datetime, UUID]],
        *,
        query: object,
    ) -> Page[T]:
        """A page of `table`'s rows meeting `c`, after `cursor`; `query` is what the cursor belongs to."""
        limit = require_limit(limit)
        c.after(cursor, query)
        order = f"ORDER BY received_at, id LIMIT {limit + 1}"
        sql = f"SELECT * FROM {self._table_name(table)} WHERE {c.sql} {order}"
        items: list[T] = [table.decode(r, self.dialect) for r in self._select(sql, c.params)]
        if len(items) <= limit:
            return Page(tuple(items), None)
        return Page(tuple(items[:limit]), encode_cursor(*key(items[limit - 1]), query))

    def _one(self, table: Table, ticket_id: UUID) -> DbRow | None:
        sql = f"SELECT * FROM {self._table_name(table)} WHERE id = {self.dialect.param('id')}"
        rows = self._select(sql, {"id": self.dialect.uuid_in(ticket_id)})
        return rows[0] if rows else None


class SqlStatusBoard(SqlQueries, ABC):
    def tickets(
        self, where: BoardFilter, *, now: datetime, limit: int = DEFAULT_LIMIT, cursor: str | None = None
    ) -> Page[BoardRow]:
        c = board_conditions(where, now, self.dialect)
        return self._page(BOARD, c, limit, cursor, lambda row: (row.received_at, row.id), query=where)

    def row(self, ticket_id: UUID) -> BoardRow | None:
        found = self._one(BOARD, ticket_id)
        return None if found is None else BOARD.decode(found, self.dialect)

    def count(self, where: BoardFilter, *, now: datetime) -> int:
        c = board_conditions(where, now, self.dialect)
        rows = self._select(f"SELECT COUNT(*) AS n FROM {self._table_name(BOARD)} WHERE {c.sql}", c.params)
        return int(rows[0]["n"])


class SqlResponseAudit(SqlQueries, ABC):
    def finding(
        self,
        finding: Finding,
        query: AuditQuery,
        *,
        now: datetime,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> Page[TicketAudit]:
        c = audit_conditions(query, now, self.dialect)
        c.add(FINDINGS[finding])
        page: Page[AuditFacts] = self._page(
            AUDIT,
            c,
            limit,
            cursor,
            lambda facts: (facts.received_at, facts.ticket_id),
            query=(finding, query),
        )
        return Page(tuple(facts.judge(now) for facts in page.items), page.next_cursor)

    def headline(self, query: AuditQuery, *, now: datetime) -> AuditHeadline:
        c = audit_conditions(query, now, self.dialect)
        p = self.dialect.param("now")
        sums = {f.value: cond.format(now=p) for f, cond in FINDINGS.items()}
        sums |= {
            "need": "has_caller",
            "responded": "(has_caller AND first_response_at IS NOT NULL)",
            "on_time": "(has_caller AND first_response_at <= respond_by)",
        }
        columns = ", ".join(
            f"COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS {name}" for name, cond in sums.items()
        )
        sql = f"SELECT COUNT(*) AS tickets, {columns} FROM {self._table_name(AUDIT)} WHERE {c.sql}"
        r = self._select(sql, c.params)[0]
        counts = {finding: int(r[finding.value]) for finding in Finding}
        return AuditHeadline(
            int(r["tickets"]), int(r["need"]), int(r["responded"]), int(r["on_time"]), counts
        )

    def ticket(self, ticket_id: UUID, *, now: datetime) -> TicketAudit | None:
        found = self._one(AUDIT, ticket_id)
        return None if found is None else AUDIT.decode(found, self.dialect).judge(now)
