"""Processes opening one PostgreSQL store at once (serve, worker, a CLI command) create its tables in turn.

Neither `CREATE TABLE IF NOT EXISTS` nor the library's `CREATE TYPE` is safe against a concurrent twin:
both may pass the existence check and one then fails on the catalogue's unique index. An advisory lock
taken around table creation makes them wait for each other instead.
"""

from __future__ import annotations

from typing import Any

import psycopg
from eventsourcing.postgres import PostgresDatastore

LOCK_ID = 123450001
TABLE_CREATION_LOCK = f"SELECT pg_advisory_xact_lock({LOCK_ID})"  # for one creating transaction


class CreatesTablesInTurn:
    """Mixin for the library's PostgreSQL recorders: their table creation waits for any other's."""

    datastore: PostgresDatastore

    def create_table(self) -> None:
        # The library creates types and tables in several transactions, each on a connection of the pool: a
        # session lock is held across them on a connection of its own, outside the pool, so that a pool of a
        # single connection (pool_size=1&max_overflow=0) can still create its tables.
        pooled = self.datastore.pool.kwargs  # how the pool connects (psycopg_pool may take a callable)
        settings = dict((pooled() if callable(pooled) else pooled) or {}, autocommit=True)
        with psycopg.connect(**settings) as locking:  # closing it releases the lock
            locking.execute(f"SELECT pg_advisory_lock({LOCK_ID})")
            parent: Any = super()
            parent.create_table()
