"""Several processes (serve, worker, a CLI command) opening one fresh PostgreSQL store at once all succeed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from infrastructure.projections.worker import catch_up
from infrastructure.services import open_services
from infrastructure.settings import Settings
from tests.builders import CENTRE, hotline_ticket
from tests.conftest import POSTGRES_URL

OPENERS = 6


def test_opening_a_fresh_postgres_store_from_many_places_at_once_creates_its_tables_once(
    postgres_schema: str,
) -> None:
    settings = Settings(database_url=f"{POSTGRES_URL}?schema={postgres_schema}")
    start = threading.Barrier(OPENERS)

    def open_like_a_process(n: int) -> int:
        start.wait()
        if n % 2:
            return catch_up(settings.store)  # the worker's way in: the application and both views
        services = open_services(settings)  # the server's and the CLI's: also keys and idempotency
        return len(services.keys.all())

    with ThreadPoolExecutor(OPENERS) as pool:
        results = list(pool.map(open_like_a_process, range(OPENERS)))

    assert results == [0] * OPENERS  # every opener got through, on tables that were empty


def test_a_pool_of_a_single_connection_opens_a_fresh_store_and_serves_from_it(postgres_schema: str) -> None:
    url = f"{POSTGRES_URL}?schema={postgres_schema}&pool_size=1&max_overflow=0&connect_timeout=2"
    services = open_services(Settings(database_url=url))  # its tables created under a lock held elsewhere
    try:
        received = services.app.receive(hotline_ticket(), CENTRE)

        assert services.app.ticket(received.ticket.id).version == 1
        assert catch_up(services.store) == 1  # the views' own pools, one connection each
    finally:
        services.close()
