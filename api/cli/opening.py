"""Opening the application on the configured store, with failures turned into one-line CLI errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import PersistenceError

from api.cli.errors import CliError
from application.audit.use_cases import ChainUnavailableError, EmptyChainError
from application.errors import TicketNotFoundError
from application.handling import CaseHandling
from infrastructure.audit.keys import KeyFileError
from infrastructure.failures import store_failure
from infrastructure.settings import Settings
from infrastructure.stores import Store
from infrastructure.wiring import open_case_handling, require_store_answers, where_no_store_is


def existing_store(settings: Settings | None = None) -> Store:
    """HOTLINE_DATABASE_URL's store, which must be there already: a command run from the wrong directory
    (the default SQLite path is relative) would otherwise create an empty store and report on that."""
    store = (settings or Settings()).store
    missing = where_no_store_is(store)
    if missing is not None:
        raise CliError(
            f"no store at {missing}: run this where `hotline serve` runs, or set HOTLINE_DATABASE_URL to "
            "the deployment's store"
        )
    return store


@contextmanager
def case_handling(settings: Settings, *, create: bool = False) -> Iterator[CaseHandling]:
    """The application on HOTLINE_DATABASE_URL's store (which must exist unless `create`), closed after."""
    try:  # an unsupported URL is reported by `hotline`'s main, as for every command
        if create:
            require_store_answers(settings.store)  # a store that must exist was checked by existing_store
        app = open_case_handling(settings.store if create else existing_store(settings))
    except PersistenceError as error:
        raise CliError(f"cannot open the store: {store_failure(error, settings.store)}") from None
    try:
        yield app
    except PersistenceError as error:
        raise CliError(f"the store failed: {store_failure(error, settings.store)}") from None
    finally:
        app.close()


@contextmanager
def audited_application() -> Iterator[CaseHandling]:
    """The application on the deployment's store (which must exist), its audit errors as CLI errors."""
    app = open_case_handling(existing_store())
    try:
        yield app
    except (ChainUnavailableError, EmptyChainError, TicketNotFoundError) as error:
        raise CliError(str(error)) from None
    finally:
        app.close()


@contextmanager
def key_errors() -> Iterator[None]:
    """A key or signature file that cannot be used, as a CLI error."""
    try:
        yield
    except KeyFileError as error:
        raise CliError(str(error)) from None
