"""The application on each store, with a clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from application.handling import CaseHandling
from infrastructure.stores import Store
from infrastructure.wiring import open_case_handling
from tests.builders import T0, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def app(store: Store, clock: FakeClock) -> Iterator[CaseHandling]:
    application = open_case_handling(store, clock=clock)
    yield application
    application.close()
