"""Where API keys are kept: in memory for unit tests, or a table beside the events (SQLite, PostgreSQL)."""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import datetime

from application.keys import ApiKey
from domain.values import Role
from infrastructure.sql import Database, row


class MemoryKeyStore:
    def __init__(self) -> None:
        self._keys: dict[str, tuple[ApiKey, str]] = {}
        self._lock = threading.Lock()

    def add(self, key: ApiKey, digest: str) -> None:
        with self._lock:
            self._keys[digest] = (key, digest)

    def by_digest(self, digest: str) -> tuple[ApiKey, str] | None:
        return self._keys.get(digest)

    def all(self) -> list[ApiKey]:
        return sorted((key for key, _ in self._keys.values()), key=lambda k: k.created_at)

    def revoke(self, key_id: str, at: datetime) -> bool:
        with self._lock:
            for digest, (key, _) in self._keys.items():
                if key.active and key_id in (key.id, key.name):
                    self._keys[digest] = (dataclasses.replace(key, revoked_at=at), digest)
                    return True
        return False


class SqlKeyStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.name = db.table("hotline_api_keys")
        db.create_table(
            f"CREATE TABLE IF NOT EXISTS {self.name} (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
            "role TEXT NOT NULL, units TEXT NOT NULL, digest TEXT NOT NULL UNIQUE, "
            "created_at TEXT NOT NULL, revoked_at TEXT)"
        )

    def add(self, key: ApiKey, digest: str) -> None:
        with self.db.transaction(commit=True) as cursor:
            cursor.execute(
                self.db.sql(f"INSERT INTO {self.name} VALUES (?, ?, ?, ?, ?, ?, NULL)"),
                (key.id, key.name, key.role.value, json.dumps(key.units), digest, key.created_at.isoformat()),
            )

    def by_digest(self, digest: str) -> tuple[ApiKey, str] | None:
        return self.db.read(self._by_digest, digest)  # every request asks: worth a retry

    def _by_digest(self, digest: str) -> tuple[ApiKey, str] | None:
        with self.db.transaction(commit=False) as cursor:
            cursor.execute(self.db.sql(f"SELECT * FROM {self.name} WHERE digest = ?"), (digest,))
            found = cursor.fetchone()
        return None if found is None else (_key(row(found)), str(row(found)["digest"]))

    def all(self) -> list[ApiKey]:
        with self.db.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT * FROM {self.name} ORDER BY created_at, id")
            return [_key(row(found)) for found in cursor.fetchall()]

    def revoke(self, key_id: str, at: datetime) -> bool:
        with self.db.transaction(commit=True) as cursor:
            cursor.execute(
                self.db.sql(
                    f"UPDATE {self.name} SET revoked_at = ? WHERE (id = ? OR name = ?) AND revoked_at IS NULL"
                ),
                (at.isoformat(), key_id, key_id),
            )
            return cursor.rowcount > 0


def _key(fields: dict[str, object]) -> ApiKey:
    revoked = fields["revoked_at"]
    return ApiKey(
        id=str(fields["id"]),
        name=str(fields["name"]),
        role=Role(fields["role"]),
        units=tuple(json.loads(str(fields["units"]))),
        created_at=datetime.fromisoformat(str(fields["created_at"])),
        revoked_at=None if revoked is None else datetime.fromisoformat(str(revoked)),
    )
