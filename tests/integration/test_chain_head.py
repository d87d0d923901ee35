"""The SQLite recorder links new events to the head it committed last only while that is still the head."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from eventsourcing.persistence import OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteConnection, SQLiteDatastore

from application.audit.verification import verify_chain
from infrastructure.audit.sqlite_chain import ChainedSQLiteApplicationRecorder

TOPIC = "domain.ticket:Ticket.Contacted"


@pytest.fixture
def database(tmp_path: Path) -> str:
    return str(tmp_path / "chain.db")


@pytest.fixture
def recorders(database: str) -> Iterator[list[ChainedSQLiteApplicationRecorder]]:
    """Two recorders on one file, as two processes (a server and a CLI command) would hold them."""
    opened = [ChainedSQLiteApplicationRecorder(SQLiteDatastore(database)) for _ in range(2)]
    opened[0].create_table()
    yield opened
    for recorder in opened:
        recorder.datastore.close()


def event() -> StoredEvent:
    return StoredEvent(uuid4(), 1, TOPIC, b'{"note":"' + uuid4().hex.encode() + b'"}')


def test_saves_by_two_recorders_in_turn_make_one_intact_chain(
    recorders: list[ChainedSQLiteApplicationRecorder],
) -> None:
    first, other = recorders
    for writer in (first, first, other, first, other, other):
        writer.insert_events([event()])

    result = verify_chain(recorders[0])

    assert result.ok, result
    assert result.events_checked == 6


def test_a_write_whose_commit_failed_is_not_linked_to_when_another_recorder_took_its_place(
    recorders: list[ChainedSQLiteApplicationRecorder], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, other = recorders
    first.insert_events([event()])
    with monkeypatch.context() as failing:
        failing.setattr(SQLiteConnection, "commit", _fail_to_commit)
        with pytest.raises(OperationalError):
            first.insert_events([event()])
    other.insert_events([event()])  # takes the position of the event that was never committed

    first.insert_events([event()])

    result = verify_chain(first)
    assert result.ok, result
    assert result.events_checked == 3


def _fail_to_commit(connection: SQLiteConnection) -> None:
    """A commit that fails (as on a full disk): the transaction is rolled back."""
    connection.rollback()
    raise sqlite3.OperationalError("disk I/O error")
