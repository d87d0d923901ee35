"""The two views as SQLite tables, each with a tracking table of its own, written in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from functools import partial
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from application.projections import ResponseAuditView, StatusBoardView, UnreadableRow
from application.read_models import AuditFacts, BoardRow
from infrastructure.projections.dialects import SQLITE, DbRow, Params
from infrastructure.projections.queries import SqlResponseAudit, SqlStatusBoard
from infrastructure.projections.table_parts import StoredTable
from infrastructure.projections.tables import AUDIT, BOARD, Table
from infrastructure.projections.tracked import TrackedPosition

Row = TypeVar("Row", BoardRow, AuditFacts)
CHUNK = 500  # ids per IN (...) list


class SQLiteRows(StoredTable, SQLiteTrackingRecorder, TrackedPosition, Generic[Row]):
    """Rows of one view and its position; the library's single `tracking` table is renamed per view."""

    table: Table
    dialect = SQLITE

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        # Two views of one application in one file would otherwise share a tracking row.
        own = self._tracking_table()
        self.insert_tracking_statement = self.insert_tracking_statement.replace(
            "INTO tracking", f"INTO {own}"
        ).replace("WHERE tracking.", f"WHERE {own}.")
        self.select_max_tracking_id_statement = self.select_max_tracking_id_statement.replace(
            "FROM tracking", f"FROM {own}"
        )

    @classmethod
    def _tracking_table(cls) -> str:
        return cls.table.tracking_name

    def construct_create_table_statements(self) -> list[str]:
        own = f"EXISTS {self._tracking_table()} ("
        statements = [
            s.replace("EXISTS tracking (", own) for s in super().construct_create_table_statements()
        ]
        return statements + self.table.create_statements(SQLITE, self.table.name)

    def rows_for(self, ticket_ids: Collection[UUID]) -> Mapping[UUID, Row]:
        ids = [str(i) for i in ticket_ids]
        found: dict[UUID, Row] = {}
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                c.execute(
                    f"SELECT * FROM {self.table.name} WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )
                for r in c.fetchall():
                    found[UUID(r["id"])] = self.table.decode(r, SQLITE)
        return found

    def all_rows(self) -> Iterator[Row | UnreadableRow]:
        rows = self._select(f"SELECT * FROM {self.table.name}", {})
        return (self.table.read_back(r, SQLITE) for r in rows)

    def save_rows(self, new: Sequence[Row], changed: Sequence[Row], tracking: Tracking) -> None:
        encode, name = self.table.encode, self.table.name
        with self.datastore.transaction(commit=True) as c:
            c.executemany(self.table.insert(SQLITE, name), [encode(row, SQLITE) for row in new])
            c.executemany(self.table.upsert(SQLITE, name), [encode(row, SQLITE) for row in changed])
            self._insert_tracking(c, tracking)

    def clear(self, application_name: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"DELETE FROM {self.table.name}")
            c.execute(f"DELETE FROM {self._tracking_table()} WHERE application_name = ?", [application_name])

    def _present(self, names: list[str]) -> set[str]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT name FROM sqlite_master WHERE name IN ({','.join('?' * len(names))})", names)
            return {row["name"] for row in c.fetchall()}

    def drop_indexes(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            for statement in self.table.drop_index_statements():
                c.execute(statement)

    def index_builds(self) -> list[Callable[[], None]]:
        return [
            partial(self._execute, statement) for statement in self.table.index_statements(self.table.name)
        ]

    def _execute(self, statement: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(statement)

    def _select(self, sql: str, params: Params) -> Sequence[DbRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            rows: Sequence[DbRow] = c.fetchall()
            return rows

    def _table_name(self, table: Table) -> str:
        return table.name


class SQLiteStatusBoardView(SQLiteRows[BoardRow], SqlStatusBoard, StatusBoardView):
    table = BOARD
    view_name = "status_board"


class SQLiteResponseAuditView(SQLiteRows[AuditFacts], SqlResponseAudit, ResponseAuditView):
    table = AUDIT
    view_name = "response_audit"
