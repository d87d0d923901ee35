"""Plain SQL tables beside the event store, in the same SQLite file or PostgreSQL schema, on its pool."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import ParamSpec, Protocol, TypeVar, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import retry

from infrastructure.ddl import TABLE_CREATION_LOCK

Params = Sequence[object]
P = ParamSpec("P")
R = TypeVar("R")
# A PostgreSQL read that fails on a dead connection is tried again on another, as the library's own reads
# are (same policy): after a server restart a pool still holds connections the server has closed, and
# each is found dead only when used. Not for SQLite, whose "locked" already waited out its timeout.
POSTGRES_READ_RETRY = retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)


def postgres_read(query: Callable[P, R]) -> Callable[P, R]:
    """`query`, tried again on a fresh connection if PostgreSQL's fails (see POSTGRES_READ_RETRY)."""
    retried: Callable[P, R] = POSTGRES_READ_RETRY(query)
    return retried


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
            return postgres_read(query)(*args, **kwargs)
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
