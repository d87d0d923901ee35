"""The PostgreSQL event recorder that appends a hash-chain link for every event in the same transaction."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder, PostgresDatastore
from psycopg import Cursor
from psycopg.rows import DictRow, TupleRow, tuple_row
from psycopg.sql import SQL, Composed, Identifier

from application.audit.chain import GENESIS, Batch, Link, StoredRecord, chain_links, record_of
from application.idempotency import Fence
from infrastructure.ddl import CreatesTablesInTurn
from infrastructure.idempotency_stores import FENCE_POSITION, FENCE_WRITE, fence_position, fence_write
from infrastructure.idempotency_stores import TABLE as IDEMPOTENCY_TABLE

CHAIN_TABLE = "event_chain"


class ChainedPostgresApplicationRecorder(CreatesTablesInTurn, PostgresApplicationRecorder):
    """Chosen by APPLICATION_RECORDER_TOPIC. The library locks the events table in EXCLUSIVE mode inside
    the insert transaction, so the head read after the lock is the true head and links follow commit order.
    """

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        if datastore.enable_db_functions:
            # The database-function path skips the table lock, so commit order would not be chain order.
            raise ProgrammingError("the hash chain needs POSTGRES_ENABLE_DB_FUNCTIONS off")
        self._head_cursors = threading.local()
        self.sql_create_statements.append(
            self._sql("CREATE TABLE IF NOT EXISTS {chain} (position bigint PRIMARY KEY, prev bytea NOT NULL, "
                      "hash bytea NOT NULL, salt bytea NOT NULL)")
        )  # fmt: skip
        self.select_head = self._sql(
            "SELECT position, prev, hash, salt FROM {chain} ORDER BY position DESC LIMIT 1"
        )
        self.insert_links = self._sql(
            "INSERT INTO {chain} SELECT * FROM unnest(%s::bigint[], %s::bytea[], %s::bytea[], %s::bytea[])"
        )
        self.insert_link = self._sql("INSERT INTO {chain} VALUES (%s, %s, %s, %s)")
        self.fence_write = self._sql(FENCE_WRITE.replace("?", "%s").replace("{t}", "{idempotency}"))
        self.fence_position = self._sql(FENCE_POSITION.replace("?", "%s").replace("{t}", "{idempotency}"))
        self.select_records = self._sql(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {events} "
            "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        )
        self.select_links = self._sql("SELECT position, prev, hash, salt FROM {chain} WHERE position > %s ")
        self.select_link = self._sql("SELECT position, prev, hash, salt FROM {chain} WHERE position = %s")
        self.select_ticket = self._sql(
            "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, e.state, "
            "c.prev, c.hash, c.salt "
            "FROM {events} e LEFT JOIN {chain} c ON c.position = e.notification_id "
            "WHERE e.originator_id = %s ORDER BY e.originator_version"
        )

    def _sql(self, text: str) -> Composed:
        schema = Identifier(self.datastore.schema)
        return SQL(text).format(
            chain=Composed([schema, SQL("."), Identifier(CHAIN_TABLE)]),
            events=Composed([schema, SQL("."), Identifier(self.events_table_name)]),
            idempotency=Composed([schema, SQL("."), Identifier(IDEMPOTENCY_TABLE)]),
        )

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        self._lock_table(curs)
        fence: Fence | None = kwargs.get("fence")
        if fence is not None and stored_events:
            # An idempotent request's write: its claim, marked in this transaction once the table's lock is
            # held (marked before, the claim's row would stay locked while the write waits, and a retry
            # asking about the key would wait as long). Refused here, nothing of the events is inserted.
            fence_write(curs, self.fence_write, fence, stored_events)
        self._notify_channel(curs)
        # Pipelined with the insert: reading the head after the lock costs no extra round trip.
        head = curs.connection.cursor(row_factory=tuple_row)
        head.execute(self.select_head, prepare=True)
        self._head_cursors.current = head
        PostgresAggregateRecorder._insert_stored_events(self, curs, stored_events, **kwargs)

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        assert positions is not None
        head: Cursor[TupleRow] = self._head_cursors.current
        self._head_cursors.current = None
        row = head.fetchone()
        head.close()
        records = [record_of(p, s) for p, s in zip(positions, stored_events, strict=True)]
        links = chain_links(row[2] if row else GENESIS, records)
        fence: Fence | None = kwargs.get("fence")
        if fence is not None and positions:
            fence_position(curs, self.fence_position, fence, positions[-1])
        if len(links) == 1:  # the usual save: plain values are cheaper for the server than arrays
            link = links[0]
            curs.execute(self.insert_link, (link.position, link.prev, link.hash, link.salt), prepare=True)
            return positions
        curs.execute(
            self.insert_links,
            (
                [x.position for x in links],
                [x.prev for x in links],
                [x.hash for x in links],
                [x.salt for x in links],
            ),
            prepare=True,
        )
        return positions

    def chain_batch(self, after: int, limit: int) -> Batch:
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            # One snapshot for both reads, so links of events committed in between are not seen alone.
            curs.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            curs.execute(self.select_records, (after, limit), prepare=True)
            records = [StoredRecord(r[0], r[1].hex, r[2], r[3], bytes(r[4])) for r in curs.fetchall()]
            last = len(records) < limit
            if last:
                curs.execute(self.select_links + SQL("ORDER BY position"), (after,), prepare=True)
            else:
                statement = self.select_links + SQL("AND position <= %s ORDER BY position")
                curs.execute(statement, (after, records[-1].position), prepare=True)
            links = [_link(r) for r in curs.fetchall()]
        return Batch(records, links, last)

    def chain_link(self, position: int) -> Link | None:
        return self._one_link(self.select_link, (position,))

    def chain_head(self) -> Link | None:
        return self._one_link(self.select_head, ())

    def _one_link(self, statement: Composed, params: tuple[int, ...]) -> Link | None:
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(statement, params)
            row = curs.fetchone()
        return _link(row) if row else None

    def chained_records(self, originator_id: UUID) -> list[tuple[StoredRecord, Link | None]]:
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(self.select_ticket, (originator_id,))
            rows = curs.fetchall()
        return [
            (
                StoredRecord(r[0], r[1].hex, r[2], r[3], bytes(r[4])),
                _link((r[0], *r[5:])) if r[6] is not None else None,
            )
            for r in rows
        ]


def _link(row: Sequence[Any]) -> Link:
    position, prev, digest, salt = row
    return Link(position, bytes(prev), bytes(digest), bytes(salt))
