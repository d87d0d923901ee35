"""An application and its read side on each store, with a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from application.handling import CaseHandling
from infrastructure.projections.read_side import ProjectedReadSide, open_read_side
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


@pytest.fixture
def read_side(store: Store, app: CaseHandling) -> Iterator[ProjectedReadSide]:
    """Followed in the test's own thread (`wait` catches up), on every store."""
    side = open_read_side(store, app, follow=True)
    yield side
    side.close()
