"""Opening the case-handling application on the configured store."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import psycopg

from application.handling import CaseHandling, Clock, utc_now
from infrastructure.stores import Store, postgres_conninfo


def open_case_handling(store: Store, *, clock: Clock = utc_now) -> CaseHandling:
    """The application on `store` (a new SQLite file's directory made first); keep a reference while it is
    used (its pool closes with it)."""
    database = store.env.get("SQLITE_DBNAME", ":memory:")
    if store.kind == "sqlite" and not database.startswith("file:") and ":memory:" not in database:
        _new_private_file(Path(database))  # a path; a URI (`file:…?mode=memory`) is SQLite's to open
    return CaseHandling(env=store.env, clock=clock)


def where_no_store_is(store: Store) -> str | None:
    """Where `store` points, if no hotline store is there yet (None if one is): a command run from the
    wrong directory, or against the wrong schema, would otherwise make an empty one and report on that."""
    if store.kind == "sqlite":
        return None if Path(store.env["SQLITE_DBNAME"]).is_file() else store.place
    if store.kind == "postgres":
        schema = store.env.get("POSTGRES_SCHEMA") or "public"
        with psycopg.connect(postgres_conninfo(store.env), autocommit=True) as conn:
            events = f"{CaseHandling.name.lower()}_events"  # the library's name for the application's table
            found = conn.execute("SELECT to_regclass(%s)", [f'"{schema}".{events}'])
            if found.fetchone() in (None, (None,)):
                return store.place
    return None


def require_store_answers(store: Store) -> None:
    """PostgreSQL must answer now (a psycopg error if not): its pools would wait out `connect_timeout`
    before saying why, and a database that does not exist, or a role or password it does not know, is no
    outage to wait for. A store that may be new (`serve`, `demo`) is checked so before it is opened."""
    if store.kind == "postgres":
        psycopg.connect(postgres_conninfo(store.env)).close()


def _new_private_file(path: Path) -> None:
    """A new SQLite store, its directory made first, is readable by its owner alone: it holds callers' names
    and phones (SQLite gives its -wal and -shm files the same mode). An existing one is left as it is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
