"""The two views as PostgreSQL tables, written with their tracking position in one transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.sql import SQL, Identifier

from application.projections import ResponseAuditView, StatusBoardView
from application.read_models import AuditFacts, BoardRow
from infrastructure.ddl import CreatesTablesInTurn
from infrastructure.projections.queries import SqlResponseAudit, SqlStatusBoard
from infrastructure.projections.tables import AUDIT, BOARD, POSTGRES, DbRow, Params, Table
from infrastructure.projections.tracked import TrackedPosition

Row = TypeVar("Row", BoardRow, AuditFacts)


class PostgresRows(CreatesTablesInTurn, PostgresTrackingRecorder, TrackedPosition, Generic[Row]):
    """Rows of one view; the factory names the tracking table after the projection (its own)."""

    table: Table
    dialect = POSTGRES

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        for statement in self.table.create_statements(POSTGRES, self._table_name(self.table)):
            self.sql_create_statements.append(SQL(statement).format())

    def rows_for(self, ticket_ids: Collection[UUID]) -> Mapping[UUID, Row]:
        sql = f"SELECT * FROM {self._table_name(self.table)} WHERE id = ANY(%(ids)s)"
        return {r["id"]: self.table.decode(r, POSTGRES) for r in self._select(sql, {"ids": list(ticket_ids)})}

    def save_rows(self, rows: Sequence[Row], tracking: Tracking) -> None:
        upsert = self.table.upsert(POSTGRES, self._table_name(self.table))
        with self.datastore.transaction(commit=True) as curs:
            curs.executemany(upsert, [self.table.encode(r, POSTGRES) for r in rows])
            self._insert_tracking(curs, tracking)

    def clear(self, application_name: str) -> None:
        tracking = SQL("DELETE FROM {0}.{1} WHERE application_name = %s").format(
            Identifier(self.datastore.schema), Identifier(self.tracking_table_name)
        )
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(f"DELETE FROM {self._table_name(self.table)}")
            curs.execute(tracking, [application_name])

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
