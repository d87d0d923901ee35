"""The database failing under us (down, restarting, refusing connections), told apart from our own bugs."""

from __future__ import annotations

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError

# As the library raises them, and as psycopg does where we connect directly (the views' lock, table creation).
STORE_FAILURES = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


def first_line(error: BaseException) -> str:
    """The error's message in one line (psycopg's run over several), or its type's name if it has none."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
