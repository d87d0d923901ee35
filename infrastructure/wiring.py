"""Opening the case-handling application on the configured store."""

from __future__ import annotations

from application.handling import CaseHandling, Clock, utc_now
from infrastructure.stores import Store


def open_case_handling(store: Store, *, clock: Clock = utc_now) -> CaseHandling:
    """The application on `store`; keep a reference while it is used (its pool closes with it)."""
    return CaseHandling(env=store.env, clock=clock)
