"""A store failure said in one line, and a pool's timeout with the reason it got no connection."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import OperationalError
from psycopg_pool import PoolTimeout

from infrastructure.failures import store_failure
from infrastructure.stores import store_for
from tests.conftest import POSTGRES_URL, require_postgres

NOTHING_LISTENS = "postgresql://postgres@127.0.0.1:1/hotline?connect_timeout=1"


def pool_timeout() -> OperationalError:
    """As the library raises it: its own error, caused by the pool's."""
    error = OperationalError("couldn't get a connection after 1.00 sec")
    error.__cause__ = PoolTimeout("couldn't get a connection after 1.00 sec")
    return error


def test_a_failure_is_said_in_its_first_line() -> None:
    error = OperationalError("server closed the connection unexpectedly\n\tThis probably means ...")

    assert store_failure(error, store_for(NOTHING_LISTENS)) == "server closed the connection unexpectedly"


def test_a_pool_that_got_no_connection_says_why() -> None:
    said = store_failure(pool_timeout(), store_for(NOTHING_LISTENS))

    assert said.startswith("couldn't get a connection after 1.00 sec: ")
    assert "port 1 failed: Connection refused" in said


@pytest.mark.postgres
def test_a_pool_that_got_none_from_a_reachable_database_says_they_were_busy() -> None:
    require_postgres()
    said = store_failure(pool_timeout(), store_for(POSTGRES_URL))

    busy = "the database accepts a connection now: the pool's were all busy, or it was restarting"
    assert said == f"couldn't get a connection after 1.00 sec: {busy}"
