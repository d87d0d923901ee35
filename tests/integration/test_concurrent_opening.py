"""Several processes (serve, worker, a CLI command) opening one fresh PostgreSQL store at once all succeed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from infrastructure.projections.worker import catch_up
from infrastructure.services import open_services
from infrastructure.settings import Settings
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
