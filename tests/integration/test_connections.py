"""PostgreSQL's connections are few at rest: a view's pool keeps one open and grows as the store's may."""

from __future__ import annotations

import pytest

from application.projections import StatusBoardProjection
from infrastructure.projections.views import open_view
from infrastructure.stores import store_for
from tests.conftest import POSTGRES_URL


@pytest.mark.parametrize(("options", "most"), [("", 15), ("&pool_size=2&max_overflow=3", 5)])
def test_a_views_pool_keeps_one_connection_at_rest_and_grows_as_far_as_the_stores(
    postgres_schema: str, options: str, most: int
) -> None:
    store = store_for(f"{POSTGRES_URL}?schema={postgres_schema}{options}")

    view = open_view(store, StatusBoardProjection)

    pool = view.datastore.pool  # type: ignore[attr-defined]
    assert (pool.min_size, pool.max_size) == (1, most)
