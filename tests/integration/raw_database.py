"""Direct SQL on a store's tables, as a database administrator could run it behind the application's back."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

import psycopg

from application.audit.chain import GENESIS, Link, StoredRecord, chain_links
from application.handling import CaseHandling
from infrastructure.stores import Store
from tests.conftest import POSTGRES_URL


class RawDatabase:
    def __init__(self, store: Store, app: CaseHandling) -> None:
        self.store = store
        table: str = app.recorder.events_table_name  # type: ignore[attr-defined]
        if store.kind == "sqlite":
            self.names = {"events": table, "chain": "event_chain", "pos": "rowid"}
        else:
            schema = store.env["POSTGRES_SCHEMA"]
            self.names = {
                "events": f'"{schema}"."{table}"',
                "chain": f'"{schema}".event_chain',
                "pos": "notification_id",
            }

    def run(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one statement; {events}, {chain} and {pos} name the tables and the position column."""
        sql = statement.format(**self.names)
        if self.store.kind == "sqlite":
            with closing(sqlite3.connect(self.store.env["SQLITE_DBNAME"], uri=True)) as lite, lite:
                return lite.execute(sql, params).fetchall()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn, conn.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []

    def positions(self) -> list[int]:
        return [row[0] for row in self.run("SELECT {pos} FROM {events} ORDER BY {pos}")]

    def flip_payload_byte(self, position: int) -> None:
        (state,) = self.run("SELECT state FROM {events} WHERE {pos} = ?", (position,))[0]
        changed = bytearray(state)
        changed[len(changed) // 2] ^= 0x01
        self.run("UPDATE {events} SET state = ? WHERE {pos} = ?", (bytes(changed), position))

    def delete_event(self, position: int, *, with_link: bool) -> None:
        self.run("DELETE FROM {events} WHERE {pos} = ?", (position,))
        if with_link:
            self.run("DELETE FROM {chain} WHERE position = ?", (position,))

    def swap_positions(self, first: int, second: int) -> None:
        self.run("UPDATE {events} SET {pos} = ? WHERE {pos} = ?", (-1, first))
        self.run("UPDATE {events} SET {pos} = ? WHERE {pos} = ?", (first, second))
        self.run("UPDATE {events} SET {pos} = ? WHERE {pos} = ?", (second, -1))

    def truncate_after(self, position: int) -> None:
        self.run("DELETE FROM {events} WHERE {pos} > ?", (position,))
        self.run("DELETE FROM {chain} WHERE position > ?", (position,))

    def insert_copy_at_tail(self, position: int) -> int:
        """Re-insert an existing event under a new version of its ticket, as a forged extra event."""
        originator_id, version, topic, state = self.run(
            "SELECT originator_id, originator_version, topic, state FROM {events} WHERE {pos} = ?",
            (position,),
        )[0]
        new_position = max(self.positions()) + 1
        self.run(
            "INSERT INTO {events} (originator_id, originator_version, topic, state, {pos}) "
            "VALUES (?, ?, ?, ?, ?)",
            (originator_id, version + 1000, topic, state, new_position),
        )
        return new_position

    def rewrite_chain(self) -> None:
        """Recompute every link from the stored events, as someone who knows the algorithm but not the key."""
        rows = self.run(
            "SELECT {pos}, originator_id, originator_version, topic, state FROM {events} ORDER BY {pos}"
        )
        records = [StoredRecord(p, _hex(i), v, t, bytes(s)) for p, i, v, t, s in rows]
        self.run("DELETE FROM {chain}")
        for link in chain_links(GENESIS, records):
            self.run(
                "INSERT INTO {chain} VALUES (?, ?, ?, ?)", (link.position, link.prev, link.hash, link.salt)
            )

    def link(self, position: int) -> Link:
        pos, prev, digest, salt = self.run(
            "SELECT position, prev, hash, salt FROM {chain} WHERE position = ?", (position,)
        )[0]
        return Link(pos, bytes(prev), bytes(digest), bytes(salt))


def _hex(originator_id: object) -> str:
    return originator_id if isinstance(originator_id, str) else originator_id.hex  # type: ignore[attr-defined]
