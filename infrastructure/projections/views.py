"""Which view class keeps each projection on each store, and opening it the way ProjectionRunner does."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import InfrastructureFactory, TrackingRecorder
from eventsourcing.utils import Environment

from application.projections import (
    PROJECTIONS,
    ResponseAuditProjection,
    StatusBoardProjection,
    TicketProjection,
    TicketRowsView,
)
from infrastructure.projections.memory_views import MemoryResponseAuditView, MemoryStatusBoardView
from infrastructure.projections.postgres_views import PostgresResponseAuditView, PostgresStatusBoardView
from infrastructure.projections.sqlite_views import SQLiteResponseAuditView, SQLiteStatusBoardView
from infrastructure.stores import Store

ProjectionClass = type[TicketProjection[Any]]
DEFAULT_POOL, DEFAULT_OVERFLOW = "5", "10"  # the library's, when the URL names none
VIEW_CLASSES: dict[str, dict[ProjectionClass, type[TrackingRecorder]]] = {
    "memory": {
        StatusBoardProjection: MemoryStatusBoardView,
        ResponseAuditProjection: MemoryResponseAuditView,
    },
    "sqlite": {
        StatusBoardProjection: SQLiteStatusBoardView,
        ResponseAuditProjection: SQLiteResponseAuditView,
    },
    "postgres": {
        StatusBoardProjection: PostgresStatusBoardView,
        ResponseAuditProjection: PostgresResponseAuditView,
    },
}


class UnknownProjectionError(LookupError):
    def __init__(self, name: str) -> None:
        names = ", ".join(p.name for p in PROJECTIONS)
        super().__init__(f"No projection named {name!r}; the projections are {names}.")


def projection_named(name: str) -> ProjectionClass:
    for projection in PROJECTIONS:
        if projection.name == name:
            return projection
    raise UnknownProjectionError(name)


def view_class(store: Store, projection: ProjectionClass) -> type[TrackingRecorder]:
    return VIEW_CLASSES[store.kind][projection]


def view_pool(store: Store) -> dict[str, str]:
    """On PostgreSQL a view's pool keeps one connection open at rest, and may grow to as many as the
    store's own: the library's pools open all of `pool_size` at once, and a worker holds several pools
    (the views', its application's), near 25 idle connections against PostgreSQL's usual 100."""
    if store.kind != "postgres":
        return {}
    most = int(store.env.get("POSTGRES_POOL_SIZE", DEFAULT_POOL)) + int(
        store.env.get("POSTGRES_MAX_OVERFLOW", DEFAULT_OVERFLOW)
    )
    return {"POSTGRES_POOL_SIZE": "1", "POSTGRES_MAX_OVERFLOW": str(max(0, most - 1))}


def open_view(
    store: Store,
    projection: ProjectionClass,
    cls: type[TrackingRecorder] | None = None,
    *,
    create: bool = True,
) -> TicketRowsView[Any]:
    """The projection's view on `store` (settings prefixed by its name), its tables and indexes created if
    missing unless `create` is false (only looking: see `is_created` and `missing_indexes`)."""
    env = Environment(
        projection.name, {**store.env, **view_pool(store), "CREATE_TABLE": "y" if create else "n"}
    )
    factory = InfrastructureFactory[TrackingRecorder].construct(env=env)
    view = factory.tracking_recorder(cls or view_class(store, projection))
    assert isinstance(view, TicketRowsView)
    return view
