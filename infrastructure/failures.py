"""The database failing under us (down, restarting, refusing connections), told apart from our own bugs."""

from __future__ import annotations

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from psycopg_pool import PoolTimeout

from infrastructure.stores import Store, postgres_conninfo

# As the library raises them, and as psycopg does where we connect directly (the views' lock, table creation).
STORE_FAILURES = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


def first_line(error: BaseException) -> str:
    """The error's message in one line (psycopg's run over several), or its type's name if it has none."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def store_failure(error: BaseException, store: Store) -> str:
    """What failed, in one line. A pool that waited in vain for a connection says only how long it waited:
    connecting once directly, outside the pools, tells why (refused, unknown role, ...)."""
    reason = first_line(error)
    pool_timed_out = isinstance(error, PoolTimeout) or isinstance(error.__cause__, PoolTimeout)
    if pool_timed_out and store.kind == "postgres":
        reason = f"{reason}: {_why_no_connection(store)}"
    return reason


def _why_no_connection(store: Store) -> str:
    try:
        with psycopg.connect(postgres_conninfo(store.env)):
            return "the database accepts a connection now: the pool's were all busy, or it was restarting"
    except psycopg.Error as error:
        return first_line(error)
