"""The SQLite event recorder that appends a hash-chain link for every event in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore

from application.audit.chain import GENESIS, Batch, Link, StoredRecord, chain_links, record_of
from application.idempotency import Fence
from infrastructure.idempotency_stores import FENCE_POSITION, FENCE_WRITE, fence_position, fence_write
from infrastructure.idempotency_stores import TABLE as IDEMPOTENCY_TABLE

CHAIN_TABLE = "event_chain"
LINK_COLUMNS = "position, prev, hash, salt"


class ChainedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """Chosen by APPLICATION_RECORDER_TOPIC; SQLite allows one writer, so links follow commit order.

    The recorder remembers the last link it committed, and links new events to it without reading the
    head when they take the positions right after it. That proves it is still the head: SQLite numbers a
    new row one past the largest rowid, so no event was appended since (by this process or another), and
    events and their links are only ever appended, together. A link is remembered only once committed,
    since the positions of a rolled-back write are handed out again. Threads may leave an older link
    remembered than the last one committed: the positions then do not follow on, and the head is read.
    """

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name)
        events = self.events_table_name
        self.select_records = (
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {events} "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )
        self.select_links = f"SELECT {LINK_COLUMNS} FROM {CHAIN_TABLE} WHERE position > ? "
        self.select_head_hash = f"SELECT hash FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1"
        self.insert_links = f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?, ?, ?)"
        self.fence_write = FENCE_WRITE.format(t=IDEMPOTENCY_TABLE)
        self.fence_position = FENCE_POSITION.format(t=IDEMPOTENCY_TABLE)
        self._committed_head: Link | None = None

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} "
            "(position INTEGER PRIMARY KEY, prev BLOB NOT NULL, hash BLOB NOT NULL, salt BLOB NOT NULL)",
        ]

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self.datastore.transaction(commit=True) as c:
            positions, links = self._insert_chained(c, stored_events, **kwargs)
        if links:  # committed
            self._committed_head = links[-1]
        return positions

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        return self._insert_chained(c, stored_events, **kwargs)[0]

    def _insert_chained(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> tuple[Sequence[int], list[Link]]:
        fence: Fence | None = kwargs.get("fence")
        if (
            fence is not None and stored_events
        ):  # an idempotent request's write: its claim, in this transaction
            fence_write(c, self.fence_write, fence, stored_events)
        positions = super()._insert_events(c, stored_events, **kwargs)
        assert positions is not None
        if not positions:
            return positions, []
        # The insert above took the write lock, so no other writer can move the head meanwhile.
        links = chain_links(
            self._head_hash(c, positions[0]),
            [record_of(p, s) for p, s in zip(positions, stored_events, strict=True)],
        )
        c.executemany(self.insert_links, [(x.position, x.prev, x.hash, x.salt) for x in links])
        if fence is not None:
            fence_position(c, self.fence_position, fence, positions[-1])
        return positions, links

    def _head_hash(self, c: SQLiteCursor, first_position: int) -> bytes:
        """The hash of the head the events appended from `first_position` on follow."""
        head = self._committed_head
        if head is not None and first_position == head.position + 1:
            return head.hash
        c.execute(self.select_head_hash)
        row = c.fetchone()
        return _blob(row[0]) if row else GENESIS

    def chain_batch(self, after: int, limit: int) -> Batch:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self.select_records, (after, limit))
            records = [_record(r) for r in c.fetchall()]
            last = len(records) < limit
            if last:
                c.execute(self.select_links + "ORDER BY position", (after,))
            else:
                c.execute(
                    self.select_links + "AND position <= ? ORDER BY position", (after, records[-1].position)
                )
            links = [_link(r) for r in c.fetchall()]
        return Batch(records, links, last)

    def chain_link(self, position: int) -> Link | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT {LINK_COLUMNS} FROM {CHAIN_TABLE} WHERE position = ?", (position,))
            row = c.fetchone()
        return _link(row) if row else None

    def chain_head(self) -> Link | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT {LINK_COLUMNS} FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
            row = c.fetchone()
        return _link(row) if row else None

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
        return [(_record(r), _link((r[0], r[5], r[6], r[7])) if r[6] else None) for r in rows]


def _record(row: Sequence[Any]) -> StoredRecord:
    return StoredRecord(row[0], row[1], row[2], row[3], _blob(row[4]))


def _link(row: Sequence[Any]) -> Link:
    return Link(row[0], _blob(row[1]), _blob(row[2]), _blob(row[3]))


def _blob(value: object) -> bytes:
    """A value stored as a BLOB, as bytes. SQLite keeps whatever type an UPDATE writes (text, a number,
    NULL): such a value is read as the bytes it would be, so an edit shows up as a broken link, not a crash
    of the verifier."""
    if isinstance(value, bytes):
        return value
    if value is None:
        return b""
    return str(value).encode()
