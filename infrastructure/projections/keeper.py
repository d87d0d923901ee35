"""One keeper of the views at a time.

`hotline worker` (PostgreSQL) and the serving process (SQLite) keep the views current while they run; a
rebuild forgets a view and fills it again, so it must have the views to itself. Whoever keeps or rebuilds
the views holds their lock for as long as it does: a session advisory lock on PostgreSQL (per schema), an
exclusive `flock` on a file beside the SQLite database. Both die with their process: a crash never leaves
the views locked. The in-memory store lives in one process and needs no lock.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from infrastructure.stores import Store

LOCK_CLASS = 123450002  # the first key of the two-key advisory lock; the second is the schema's hash


class ViewsBusyError(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "Another process keeps these views (a running `hotline worker`, or `hotline serve` on "
            "SQLite) or is rebuilding them: stop it first."
        )


@contextmanager
def keeping_the_views(store: Store) -> Iterator[None]:
    """Hold the views' lock while the block runs; ViewsBusyError at once if another process holds it."""
    if store.kind == "postgres":
        with _advisory_lock(store.env):
            yield
    elif store.kind == "sqlite" and store.env["SQLITE_DBNAME"] != ":memory:":
        with _file_lock(Path(f"{store.env['SQLITE_DBNAME']}.views-lock")):
            yield
    else:
        yield


@contextmanager
def _advisory_lock(env: dict[str, str]) -> Iterator[None]:
    # A connection of its own, held open: the session lock lasts exactly as long as it does.
    with psycopg.connect(
        host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], dbname=env["POSTGRES_DBNAME"],
        user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"], autocommit=True,
    ) as conn:  # fmt: skip
        schema = env.get("POSTGRES_SCHEMA", "public")
        taken = conn.execute("SELECT pg_try_advisory_lock(%s::int4, hashtext(%s))", (LOCK_CLASS, schema))
        row = taken.fetchone()
        if not (row and row[0]):
            raise ViewsBusyError
        yield  # closing the connection releases the lock


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ViewsBusyError from None
        yield  # closing the file releases the lock
