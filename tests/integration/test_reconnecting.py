"""After PostgreSQL closes a pooled connection (a restart, a failover), reads go on, on a fresh one."""

from __future__ import annotations

from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg_pool import PoolTimeout

from application.projections import StatusBoardProjection
from infrastructure.key_stores import SqlKeyStore
from infrastructure.projections.postgres_views import PostgresRows
from infrastructure.projections.views import open_view
from infrastructure.sql import READ_ATTEMPTS, database_of, postgres_read
from infrastructure.stores import store_for
from infrastructure.wiring import open_case_handling
from tests.conftest import POSTGRES_URL


def closed_by_the_server(datastore: PostgresDatastore) -> None:
    """The pool's only connection, ended from the server's side: the pool still holds it."""
    with datastore.transaction(commit=False) as cursor:
        cursor.execute("SELECT pg_backend_pid() AS pid")
        row = cursor.fetchone()
        assert row is not None
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [row["pid"]])


def test_the_board_answers_after_the_server_closed_its_connection(postgres_schema: str) -> None:
    store = store_for(f"{POSTGRES_URL}?schema={postgres_schema}&pool_size=1&max_overflow=0")
    board = open_view(store, StatusBoardProjection)
    assert isinstance(board, PostgresRows)
    closed_by_the_server(board.datastore)

    assert board.rows_for([uuid4()]) == {}


def test_keys_are_found_after_the_server_closed_the_connection(postgres_schema: str) -> None:
    app = open_case_handling(store_for(f"{POSTGRES_URL}?schema={postgres_schema}&pool_size=1&max_overflow=0"))
    db = database_of(app)
    assert db is not None
    keys = SqlKeyStore(db)
    assert isinstance(app.recorder, PostgresApplicationRecorder)
    closed_by_the_server(app.recorder.datastore)

    assert keys.by_digest("no such digest") is None
    app.close()


class Failing:
    """A read that fails `times` times with `failure`, then answers."""

    def __init__(self, times: int, failure: Exception) -> None:
        self.left, self.failure, self.calls = times, failure, 0

    def __call__(self) -> str:
        self.calls += 1
        if self.left:
            self.left -= 1
            raise self.failure
        return "rows"


@pytest.fixture
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("infrastructure.sql.READ_PAUSE", 0)


def test_a_read_is_tried_on_until_a_connection_answers(no_pause: None) -> None:
    read = Failing(READ_ATTEMPTS - 1, OperationalError("server closed the connection unexpectedly"))

    assert postgres_read(read)() == "rows"
    assert read.calls == READ_ATTEMPTS


def test_a_read_gives_up_after_its_attempts(no_pause: None) -> None:
    read = Failing(READ_ATTEMPTS, InterfaceError("connection already closed"))

    with pytest.raises(InterfaceError):
        postgres_read(read)()
    assert read.calls == READ_ATTEMPTS


def test_a_read_that_found_no_free_connection_is_not_tried_again(no_pause: None) -> None:
    busy = OperationalError("couldn't get a connection after 30.00 sec")
    busy.__cause__ = PoolTimeout("couldn't get a connection after 30.00 sec")
    read = Failing(1, busy)

    with pytest.raises(OperationalError):
        postgres_read(read)()
    assert read.calls == 1
