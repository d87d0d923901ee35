"""The two views as PostgreSQL tables, written with their tracking position in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from functools import partial
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from application.projections import ResponseAuditView, StatusBoardView, UnreadableRow
from application.read_models import AuditFacts, BoardRow
from infrastructure.ddl import CreatesTablesInTurn
from infrastructure.projections.dialects import POSTGRES, DbRow, Params
from infrastructure.projections.queries import SqlResponseAudit, SqlStatusBoard
from infrastructure.projections.table_parts import StoredTable
from infrastructure.projections.tables import AUDIT, BOARD, Table
from infrastructure.projections.tracked import TrackedPosition
from infrastructure.sql import postgres_read

Row = TypeVar("Row", BoardRow, AuditFacts)


class PostgresRows(StoredTable, CreatesTablesInTurn, PostgresTrackingRecorder, TrackedPosition, Generic[Row]):
    """Rows of one view, and its position in a tracking table named after the view's (versioned) table
    rather than after the projection, as the library's factory would."""

    table: Table
    dialect = POSTGRES

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        kwargs["tracking_table_name"] = self.table.tracking_name
        super().__init__(datastore, **kwargs)
        for statement in self.table.create_statements(POSTGRES, self._table_name(self.table)):
            self.sql_create_statements.append(SQL(statement).format())

    def rows_for(self, ticket_ids: Collection[UUID]) -> Mapping[UUID, Row]:
        sql = f"SELECT * FROM {self._table_name(self.table)} WHERE id = ANY(%(ids)s)"
        return {r["id"]: self.table.decode(r, POSTGRES) for r in self._select(sql, {"ids": list(ticket_ids)})}

    def all_rows(self) -> Iterator[Row | UnreadableRow]:
        rows = self._select(f"SELECT * FROM {self._table_name(self.table)}", {})
        return (self.table.read_back(r, POSTGRES) for r in rows)

    def save_rows(self, new: Sequence[Row], changed: Sequence[Row], tracking: Tracking) -> None:
        # Rows go in by binary COPY (formatting a row takes about a tenth of the time text COPY's does): new
        # rows straight into the table, changed ones through a session-local staging table and one upsert.
        table, staged = self._table_name(self.table), f"staged_{self.table.name}"
        with self.datastore.transaction(commit=True) as curs:
            if new:
                self._copy(curs, new, into=table)
            if changed:
                curs.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staged} (LIKE {table}) ON COMMIT DELETE ROWS")
                self._copy(curs, changed, into=staged)
                curs.execute(self.table.upsert_from(staged, table))
            self._insert_tracking(curs, tracking)

    def _copy(self, curs: Cursor[DictRow], rows: Sequence[Row], *, into: str) -> None:
        with curs.copy(f"COPY {into} ({', '.join(self.table.columns)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(self.table.sql_types(POSTGRES))
            for row in rows:
                copy.write_row(self.table.encode(row, POSTGRES))

    def clear(self, application_name: str) -> None:
        tracking = SQL("DELETE FROM {0}.{1} WHERE application_name = %s").format(
            Identifier(self.datastore.schema), Identifier(self.tracking_table_name)
        )
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(f"TRUNCATE {self._table_name(self.table)}")
            curs.execute(tracking, [application_name])

    def _present(self, names: list[str]) -> set[str]:
        rows = self._select(
            "SELECT relname FROM pg_class JOIN pg_namespace ON pg_namespace.oid = relnamespace "
            "WHERE nspname = %(schema)s AND relname = ANY(%(names)s)",
            {"schema": self.datastore.schema, "names": names},
        )
        return {row["relname"] for row in rows}

    def drop_indexes(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            for statement in self.table.drop_index_statements(self.datastore.schema):
                curs.execute(statement)

    def index_builds(self) -> list[Callable[[], None]]:
        return [
            partial(self._execute, statement)
            for statement in self.table.index_statements(self._table_name(self.table))
        ]

    def _execute(self, statement: str) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(statement)

    @postgres_read  # every board and audit query
    def _select(self, sql: str, params: Params) -> Sequence[DbRow]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(sql, params)
            return curs.fetchall()

    def _table_name(self, table: Table) -> str:
        return f'"{self.datastore.schema}".{table.name}'


class PostgresStatusBoardView(PostgresRows[BoardRow], SqlStatusBoard, StatusBoardView):
    table = BOARD
    view_name = "status_board"


class PostgresResponseAuditView(PostgresRows[AuditFacts], SqlResponseAudit, ResponseAuditView):
    table = AUDIT
    view_name = "response_audit"
