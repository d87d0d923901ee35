"""Opening the application on the configured store, with failures turned into one-line CLI errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import PersistenceError

from api.cli.errors import CliError
from application.handling import CaseHandling
from infrastructure.failures import store_failure
from infrastructure.settings import Settings
from infrastructure.stores import UnsupportedStoreError
from infrastructure.wiring import open_case_handling


@contextmanager
def case_handling(settings: Settings) -> Iterator[CaseHandling]:
    """The application on HOTLINE_DATABASE_URL's store, closed afterwards."""
    try:
        app = open_case_handling(settings.store)
    except UnsupportedStoreError as error:
        raise CliError(str(error)) from None
    except PersistenceError as error:
        raise CliError(f"cannot open the store: {store_failure(error, settings.store)}") from None
    try:
        yield app
    except PersistenceError as error:
        raise CliError(f"the store failed: {store_failure(error, settings.store)}") from None
    finally:
        app.close()
