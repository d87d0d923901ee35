"""One keeper of the views at a time.

`hotline worker` (PostgreSQL) and the serving process (SQLite) keep the views current while they run; a
rebuild forgets a view and fills it again, so it must have the views to itself. Whoever keeps or rebuilds
the views holds their lock for as long as it does: a session advisory lock on PostgreSQL (per schema), an
exclusive `flock` on a file beside the SQLite database. Both die with their process: a crash never leaves
the views locked. The in-memory store lives in one process and needs no lock.

A lock on PostgreSQL lasts as long as its connection, which can be cut alone (a terminated backend, a
network timing out an idle connection). So a keeper asks now and then whether it still holds the lock
(`LockCheck`), and both ends of that connection probe each other while it idles: a holder that vanished
without closing it frees the views within about a minute, not after the operating system's two hours.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from infrastructure.stores import Store, postgres_conninfo

LOCK_CLASS = 123450002  # the first key of the two-key advisory lock; the second is the schema's hash
LockCheck = Callable[[], None]  # returns while the lock is held; raises a store failure once it is lost
# TCP keepalives on the lock's connection, set on both ends: probe after 20 s idle, every 10 s, 3 times;
# and no more than 30 s (in ms) for what was sent to go unacknowledged.
KEEPALIVE_IDLE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT, UNACKNOWLEDGED_MS = 20, 10, 3, 30_000


class ViewsBusyError(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "Another process keeps these views (a running `hotline worker`, or `hotline serve` on "
            "SQLite) or is rebuilding them: stop it first."
        )


class ViewsLockLostError(psycopg.OperationalError):
    """The connection holding the views' lock failed: the lock went with it, and another process may keep
    the views now."""


@contextmanager
def keeping_the_views(store: Store) -> Iterator[LockCheck]:
    """Hold the views' lock while the block runs; ViewsBusyError at once if another process holds it. The
    block is given a check to call now and then: it raises once the lock is lost."""
    if store.kind == "postgres":
        with _advisory_lock(store.env) as still_held:
            yield still_held
    elif store.kind == "sqlite" and store.env["SQLITE_DBNAME"] != ":memory:":
        with _file_lock(Path(f"{store.env['SQLITE_DBNAME']}.views-lock")):
            yield _held_while_open
    else:
        yield _held_while_open


def _held_while_open() -> None:
    """A lock only this process's end can release (a file's, or none at all) is held until it does."""


@contextmanager
def _advisory_lock(env: dict[str, str]) -> Iterator[LockCheck]:
    # A connection of its own, held open: the session lock lasts exactly as long as it does.
    # The server's end (`options`) says how soon it notices this process gone, ending the session and so
    # freeing the lock; the client's end (libpq's keepalives) how soon this process notices the server gone.
    server_end = (
        f"-c tcp_keepalives_idle={KEEPALIVE_IDLE} -c tcp_keepalives_interval={KEEPALIVE_INTERVAL} "
        f"-c tcp_keepalives_count={KEEPALIVE_COUNT} -c tcp_user_timeout={UNACKNOWLEDGED_MS}"
    )
    with psycopg.connect(
        postgres_conninfo(env), autocommit=True, options=server_end, keepalives_idle=KEEPALIVE_IDLE,
        keepalives_interval=KEEPALIVE_INTERVAL, keepalives_count=KEEPALIVE_COUNT,
        tcp_user_timeout=UNACKNOWLEDGED_MS,
    ) as conn:  # fmt: skip
        schema = env.get("POSTGRES_SCHEMA", "public")
        taken = conn.execute("SELECT pg_try_advisory_lock(%s::int4, hashtext(%s))", (LOCK_CLASS, schema))
        row = taken.fetchone()
        if not (row and row[0]):
            raise ViewsBusyError

        def still_held() -> None:
            try:
                conn.execute("SELECT 1")  # a session lock goes only with its session: alive, it is still held
            except psycopg.Error as error:
                raise ViewsLockLostError(f"the views' lock was lost with its connection: {error}") from error

        yield still_held  # closing the connection releases the lock


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ViewsBusyError from None
        yield  # closing the file releases the lock
