"""Plain SQL tables beside the event store, in the same SQLite file or PostgreSQL schema, on its pool."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import ParamSpec, Protocol, TypeVar, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg_pool import PoolTimeout

from infrastructure.ddl import TABLE_CREATION_LOCK

Params = Sequence[object]
P = ParamSpec("P")
R = TypeVar("R")
READ_ATTEMPTS, READ_PAUSE = 10, 0.2  # as the library tries its own reads: 10 times, 0.2 s apart


def postgres_read(query: Callable[P, R]) -> Callable[P, R]:
    """`query`, a read, tried again on another connection if PostgreSQL's fails, as the library's own reads
    are: after a server restart a pool still holds connections the server has closed, each found dead only
    when used. Not when no connection was free in time: waiting that long again would only pile up
    requests. Not for SQLite either, whose "locked" has already waited out its timeout."""

    @wraps(query)
    def read(*args: P.args, **kwargs: P.kwargs) -> R:
        return _read_retried(query, *args, **kwargs)

    return read


def _read_retried(query: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    attempt = 1
    while True:
        try:
            return query(*args, **kwargs)
        except (InterfaceError, OperationalError) as error:
            if attempt == READ_ATTEMPTS or isinstance(error.__cause__, PoolTimeout):
                raise
        attempt += 1
        time.sleep(READ_PAUSE)  # a server coming back up, or the pool replacing a dead connection


class Cursor(Protocol):
    rowcount: int

    def execute(self, query: str, params: Params = ()) -> object: ...

    def fetchone(self) -> object: ...

    def fetchall(self) -> list[object]: ...


class Transaction(Protocol):
    def __call__(self, *, commit: bool) -> AbstractContextManager[Cursor]: ...


@dataclass(frozen=True)
class Database:
    """One way in to the store's own database: a transaction, the dialect, qualified table names."""

    transaction: Transaction
    dialect: str  # "sqlite" or "postgres"
    schema: str = ""
    # The application owning the pool: it closes the pool when collected, so the tables keep it alive.
    owner: object = None

    def table(self, name: str) -> str:
        return f'"{self.schema}"."{name}"' if self.schema else name

    def sql(self, statement: str) -> str:
        """Statements are written with `?`; psycopg wants `%s`."""
        return statement.replace("?", "%s") if self.dialect == "postgres" else statement

    def read(self, query: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """`query(*args, **kwargs)`, a read: on PostgreSQL tried again on a fresh connection if one fails."""
        if self.dialect == "postgres":
            return _read_retried(query, *args, **kwargs)
        return query(*args, **kwargs)

    def create_table(self, statement: str) -> None:
        """CREATE TABLE IF NOT EXISTS, in turn with other processes opening the same PostgreSQL store."""
        with self.transaction(commit=True) as cursor:
            if self.dialect == "postgres":
                cursor.execute(TABLE_CREATION_LOCK)
            cursor.execute(statement)

    @property
    def blob(self) -> str:
        return "BYTEA" if self.dialect == "postgres" else "BLOB"


def database_of(app: Application[UUID]) -> Database | None:
    """The database under an application's recorder, or None for the in-memory store."""
    datastore = getattr(app.recorder, "datastore", None)
    if isinstance(datastore, PostgresDatastore):
        return Database(_transaction(datastore), "postgres", datastore.schema, owner=app)
    if isinstance(datastore, SQLiteDatastore):
        return Database(_transaction(datastore), "sqlite", owner=app)
    return None


def _transaction(datastore: PostgresDatastore | SQLiteDatastore) -> Transaction:
    @contextmanager
    def transaction(*, commit: bool) -> Iterator[Cursor]:
        with datastore.transaction(commit=commit) as cursor:
            # The library wraps sqlite3's cursor without its rowcount; use the one underneath.
            yield cast(Cursor, getattr(cursor, "sqlite_cursor", cursor))

    return transaction


def row(value: object) -> dict[str, object]:
    """A fetched row (sqlite3.Row or psycopg's dict row) as a dict."""
    if isinstance(value, dict):
        return value
    keys = cast(Sequence[str], value.keys())  # type: ignore[attr-defined]
    return {key: value[key] for key in keys}  # type: ignore[index]
