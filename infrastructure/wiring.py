"""Opening the case-handling application on the configured store."""

from __future__ import annotations

from pathlib import Path

from application.handling import CaseHandling, Clock, utc_now
from infrastructure.stores import Store


def open_case_handling(store: Store, *, clock: Clock = utc_now) -> CaseHandling:
    """The application on `store` (a new SQLite file's directory made first); keep a reference while it is
    used (its pool closes with it)."""
    database = store.env.get("SQLITE_DBNAME", ":memory:")
    if store.kind == "sqlite" and ":memory:" not in database:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    return CaseHandling(env=store.env, clock=clock)
