"""Durable idempotency records: in memory for unit tests, or a table beside the events."""

from __future__ import annotations

import json
import threading
from datetime import datetime

from application.idempotency import CLAIM_LEASE, Claim, Reply
from infrastructure.sql import Cursor, Database, Params, row


class MemoryIdempotencyStore:
    def __init__(self) -> None:
        self._claims: dict[tuple[str, str], tuple[Claim, datetime]] = {}
        self._lock = threading.Lock()

    def claim(self, scope: str, key: str, fingerprint: str, now: datetime) -> Claim | None:
        with self._lock:
            found = self._claims.get((scope, key))
            if found is not None and (found[0].reply is not None or now - found[1] < CLAIM_LEASE):
                return found[0]
            self._claims[(scope, key)] = (Claim(fingerprint, None), now)
            return None

    def complete(self, scope: str, key: str, reply: Reply) -> None:
        with self._lock:
            claim, at = self._claims[(scope, key)]
            self._claims[(scope, key)] = (Claim(claim.fingerprint, reply), at)

    def release(self, scope: str, key: str) -> None:
        with self._lock:
            self._claims.pop((scope, key), None)


class SqlIdempotencyStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.name = db.table("hotline_idempotency")
        db.create_table(
            f"CREATE TABLE IF NOT EXISTS {self.name} (scope TEXT NOT NULL, key TEXT NOT NULL, "
            "fingerprint TEXT NOT NULL, claimed_at DOUBLE PRECISION NOT NULL, status INTEGER, "
            f"headers TEXT, body {db.blob}, PRIMARY KEY (scope, key))"
        )

    def claim(self, scope: str, key: str, fingerprint: str, now: datetime) -> Claim | None:
        at = now.timestamp()
        with self.db.transaction(commit=True) as cursor:
            # The primary key decides which of two concurrent duplicates goes ahead.
            self._run(cursor, "INSERT INTO {t} (scope, key, fingerprint, claimed_at) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT DO NOTHING", (scope, key, fingerprint, at))  # fmt: skip
            if cursor.rowcount == 1:
                return None
            self._run(cursor, "UPDATE {t} SET fingerprint = ?, claimed_at = ? WHERE scope = ? AND key = ? "
                      "AND status IS NULL AND claimed_at < ?",
                      (fingerprint, at, scope, key, at - CLAIM_LEASE.total_seconds()))  # fmt: skip
            if cursor.rowcount == 1:
                return None
            self._run(cursor, "SELECT * FROM {t} WHERE scope = ? AND key = ?", (scope, key))
            return _claim(row(cursor.fetchone()))

    def complete(self, scope: str, key: str, reply: Reply) -> None:
        headers = json.dumps(reply.headers, ensure_ascii=False)
        with self.db.transaction(commit=True) as cursor:
            self._run(cursor, "UPDATE {t} SET status = ?, headers = ?, body = ? WHERE scope = ? AND key = ?",
                      (reply.status, headers, reply.body, scope, key))  # fmt: skip

    def release(self, scope: str, key: str) -> None:
        with self.db.transaction(commit=True) as cursor:
            self._run(cursor, "DELETE FROM {t} WHERE scope = ? AND key = ? AND status IS NULL", (scope, key))

    def _run(self, cursor: Cursor, statement: str, params: Params) -> None:
        cursor.execute(self.db.sql(statement.format(t=self.name)), params)


def _claim(fields: dict[str, object]) -> Claim:
    if fields["status"] is None:
        return Claim(str(fields["fingerprint"]), None)
    headers = tuple((str(k), str(v)) for k, v in json.loads(str(fields["headers"])))
    body = fields["body"]
    assert isinstance(body, bytes | memoryview)
    return Claim(str(fields["fingerprint"]), Reply(int(str(fields["status"])), headers, bytes(body)))
