"""The SQLite event recorder that appends a hash-chain link for every event in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore

from application.audit.chain import GENESIS, Batch, Link, StoredRecord, chain_links, record_of

CHAIN_TABLE = "event_chain"
LINK_COLUMNS = "position, prev, hash, salt"


class ChainedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """Chosen by APPLICATION_RECORDER_TOPIC; SQLite allows one writer, so links follow commit order."""

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name)
        events = self.events_table_name
        self.select_records = (
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {events} "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )
        self.select_links = f"SELECT position, prev, hash, salt FROM {CHAIN_TABLE} WHERE position > ? "

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} "
            "(position INTEGER PRIMARY KEY, prev BLOB NOT NULL, hash BLOB NOT NULL, salt BLOB NOT NULL)",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        assert positions is not None
        # The insert above took the write lock, so no other writer can move the head meanwhile.
        c.execute(f"SELECT hash FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
        row = c.fetchone()
        records = [record_of(p, s) for p, s in zip(positions, stored_events, strict=True)]
        links = chain_links(row[0] if row else GENESIS, records)
        c.executemany(
            f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?, ?, ?)",
            [(x.position, x.prev, x.hash, x.salt) for x in links],
        )
        return positions

    def chain_batch(self, after: int, limit: int) -> Batch:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self.select_records, (after, limit))
            records = [StoredRecord(r[0], r[1], r[2], r[3], r[4]) for r in c.fetchall()]
            last = len(records) < limit
            if last:
                c.execute(self.select_links + "ORDER BY position", (after,))
            else:
                c.execute(
                    self.select_links + "AND position <= ? ORDER BY position", (after, records[-1].position)
                )
            links = [Link(r[0], r[1], r[2], r[3]) for r in c.fetchall()]
        return Batch(records, links, last)

    def chain_link(self, position: int) -> Link | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT {LINK_COLUMNS} FROM {CHAIN_TABLE} WHERE position = ?", (position,))
            row = c.fetchone()
        return Link(*row) if row else None

    def chain_head(self) -> Link | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT {LINK_COLUMNS} FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
            row = c.fetchone()
        return Link(*row) if row else None

    def chained_records(self, originator_id: UUID) -> list[tuple[StoredRecord, Link | None]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state, "
                "c.prev, c.hash, c.salt "
                f"FROM {self.events_table_name} e LEFT JOIN {CHAIN_TABLE} c ON c.position = e.rowid "
                "WHERE e.originator_id = ? ORDER BY e.originator_version",
                (originator_id.hex,),
            )
            rows = c.fetchall()
        return [
            (StoredRecord(r[0], r[1], r[2], r[3], r[4]), Link(r[0], r[5], r[6], r[7]) if r[6] else None)
            for r in rows
        ]
