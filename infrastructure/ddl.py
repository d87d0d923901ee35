"""Processes opening one PostgreSQL store at once (serve, worker, a CLI command) create its tables in turn.

Neither `CREATE TABLE IF NOT EXISTS` nor the library's `CREATE TYPE` is safe against a concurrent twin:
both may pass the existence check and one then fails on the catalogue's unique index. An advisory lock
taken around table creation makes them wait for each other instead.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.postgres import PostgresDatastore

LOCK_ID = 123450001
TABLE_CREATION_LOCK = f"SELECT pg_advisory_xact_lock({LOCK_ID})"  # for one creating transaction


class CreatesTablesInTurn:
    """Mixin for the library's PostgreSQL recorders: their table creation waits for any other's."""

    datastore: PostgresDatastore

    def create_table(self) -> None:
        # The library creates types and tables in several transactions: hold a session lock across them.
        with self.datastore.get_connection() as conn:
            conn.execute(f"SELECT pg_advisory_lock({LOCK_ID})")
            try:
                parent: Any = super()
                parent.create_table()
            finally:
                conn.execute(f"SELECT pg_advisory_unlock({LOCK_ID})")
