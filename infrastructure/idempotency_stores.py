"""Durable idempotency records: a table beside the events, marked recorded by the event store in the same
transaction as a fenced write's events (the in-memory store keeps its own: `memory_store`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import OperationalError, StoredEvent
from psycopg.sql import Composed

from application.idempotency import CLAIM_LEASE, Claim, Fence, FenceLostError, RecordedWrite, Reply
from infrastructure.sql import Cursor, Database, Params, row

TABLE = "hotline_idempotency"
COLUMNS = {  # name → SQL type (in either dialect), as they were added over releases
    "scope": "TEXT NOT NULL", "key": "TEXT NOT NULL", "fingerprint": "TEXT NOT NULL",
    "claimed_at": "DOUBLE PRECISION NOT NULL", "status": "INTEGER", "headers": "TEXT", "body": "{blob}",
    "token": "TEXT", "recorded_id": "TEXT", "recorded_position": "BIGINT",
}  # fmt: skip
# Run by the event store inside the transaction that records a fenced write's events: before the events
# (the write goes ahead only if its claim is still this request's and unrecorded; else the transaction is
# rolled back), then with the position of the last one.
FENCE_WRITE = (
    "UPDATE {t} SET recorded_id = ?, recorded_position = 0 "
    "WHERE scope = ? AND key = ? AND token = ? AND recorded_position IS NULL RETURNING key"
)
FENCE_POSITION = "UPDATE {t} SET recorded_position = ? WHERE scope = ? AND key = ?"


class EventCursor(Protocol):
    """The cursor of the transaction that records events (SQLite's or psycopg's)."""

    def execute(self, query: Any, params: Any = None) -> object: ...

    def fetchone(self) -> object: ...


def fence_write(
    cursor: EventCursor, statement: str | Composed, fence: Fence, events: Sequence[StoredEvent]
) -> None:
    """Mark the fence's claim as recording `events`, or FenceLostError (raise it before the events are
    inserted: the library commits what it inserted if Python, not the database, raises after)."""
    cursor.execute(statement, (str(events[0].originator_id), fence.scope, fence.key, fence.token))
    if cursor.fetchone() is None:
        raise FenceLostError(fence)


def fence_position(cursor: EventCursor, statement: str | Composed, fence: Fence, last: int) -> None:
    """Mark the fence's claim with the position of the last event its write recorded."""
    cursor.execute(statement, (last, fence.scope, fence.key))


class SqlIdempotencyStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.name = db.table(TABLE)
        columns = ", ".join(f"{name} {kind.format(blob=db.blob)}" for name, kind in COLUMNS.items())
        db.create_table(f"CREATE TABLE IF NOT EXISTS {self.name} ({columns}, PRIMARY KEY (scope, key))")
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """A table made by an earlier release lacks the fence's columns: they are added, empty. Processes
        opening the store at once may race to add one: on PostgreSQL they take turns (and IF NOT EXISTS);
        on SQLite the second is told the column is there already."""
        with self.db.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT * FROM {self.name} WHERE 1 = 0")
            present = {column[0] for column in cursor.description}  # type: ignore[attr-defined]
        for name, kind in ((n, k) for n, k in COLUMNS.items() if n not in present):
            if self.db.dialect == "postgres":
                self.db.create_table(f"ALTER TABLE {self.name} ADD COLUMN IF NOT EXISTS {name} {kind}")
                continue
            try:
                self.db.create_table(f"ALTER TABLE {self.name} ADD COLUMN {name} {kind}")
            except OperationalError as error:
                if "duplicate column" not in str(error):
                    raise

    def claim(self, scope: str, key: str, fingerprint: str, token: str, now: datetime) -> Claim | None:
        at, lease = now.timestamp(), CLAIM_LEASE.total_seconds()
        with self.db.transaction(commit=True) as cursor:
            # The primary key decides which of two concurrent duplicates goes ahead.
            self._run(cursor, "INSERT INTO {t} (scope, key, fingerprint, claimed_at, token) "
                      "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                      (scope, key, fingerprint, at, token))  # fmt: skip
            if cursor.rowcount == 1:
                return None
            self._run(cursor, "UPDATE {t} SET fingerprint = ?, claimed_at = ?, token = ? WHERE scope = ? "
                      "AND key = ? AND status IS NULL AND recorded_position IS NULL AND claimed_at < ?",
                      (fingerprint, at, token, scope, key, at - lease))  # fmt: skip
            if cursor.rowcount == 1:
                return None
            self._run(cursor, "SELECT * FROM {t} WHERE scope = ? AND key = ?", (scope, key))
            return _claim(row(cursor.fetchone()), stale_before=at - lease)

    def complete(self, scope: str, key: str, token: str, reply: Reply) -> None:
        headers = json.dumps(reply.headers, ensure_ascii=False)
        with self.db.transaction(commit=True) as cursor:
            self._run(cursor, "UPDATE {t} SET status = ?, headers = ?, body = ? "
                      "WHERE scope = ? AND key = ? AND token = ?",
                      (reply.status, headers, reply.body, scope, key, token))  # fmt: skip

    def release(self, scope: str, key: str, token: str) -> None:
        with self.db.transaction(commit=True) as cursor:
            self._run(cursor, "DELETE FROM {t} WHERE scope = ? AND key = ? AND token = ? AND status IS NULL "
                      "AND recorded_position IS NULL", (scope, key, token))  # fmt: skip

    def _run(self, cursor: Cursor, statement: str, params: Params) -> None:
        cursor.execute(self.db.sql(statement.format(t=self.name)), params)


def _claim(fields: Mapping[str, object], stale_before: float) -> Claim:
    position, ticket_id = fields["recorded_position"], fields["recorded_id"]
    recorded = None if position is None else RecordedWrite(UUID(str(ticket_id)), int(str(position)))
    stale = float(str(fields["claimed_at"])) < stale_before
    if fields["status"] is None:
        return Claim(str(fields["fingerprint"]), None, recorded, stale)
    headers = tuple((str(k), str(v)) for k, v in json.loads(str(fields["headers"])))
    body = fields["body"]
    assert isinstance(body, bytes | memoryview)
    reply = Reply(int(str(fields["status"])), headers, bytes(body))
    return Claim(str(fields["fingerprint"]), reply, recorded, stale)
