"""Operating the views: where each stands against the log, and rebuilding one from the log."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.handling import CaseHandling
from application.projections import PROJECTIONS, TicketProjection, TicketRowsView
from application.ticket_folds import Positioned
from application.view_check import ViewCheck, check_view
from infrastructure.projections.follower import LogFollower
from infrastructure.projections.keeper import keeping_the_views
from infrastructure.projections.views import ProjectionClass, open_view
from infrastructure.stores import Store

INDEX_BUILDERS = 2  # indexes built side by side at the end of a rebuild, where the store allows it
REBUILD_BATCH_SIZE = 20_000  # two batches in memory (one read ahead): ~100 MB; a commit per view each


@dataclass(frozen=True)
class ViewStatus:
    name: str
    version: int  # of the projection: whose rows the view holds
    position: int | None  # the last log position the view applied
    log_end: int | None  # the log's last notification id
    created: bool  # its tables exist: a new version has none until the views are first kept
    missing_indexes: tuple[str, ...]  # left unbuilt by a rebuild that was killed

    @property
    def lag(self) -> int:
        return (self.log_end or 0) - (self.position or 0)


def view_statuses(store: Store, app: CaseHandling) -> list[ViewStatus]:
    """Where each view stands, only looking: nothing is created or built (a rebuild may be running)."""
    log_end = app.recorder.max_notification_id()
    return [_status(open_view(store, p, create=False), p, app.name, log_end) for p in PROJECTIONS]


def _status(view: TicketRowsView[Any], p: ProjectionClass, upstream: str, log_end: int | None) -> ViewStatus:
    if not view.is_created():
        return ViewStatus(p.name, p.version, None, log_end, created=False, missing_indexes=())
    position, missing = view.max_tracking_id(upstream), tuple(view.missing_indexes())
    return ViewStatus(p.name, p.version, position, log_end, created=True, missing_indexes=missing)


def check_views(app: CaseHandling, projections: Sequence[TicketProjection[Any]]) -> list[ViewCheck]:
    """Each view's rows against a fresh fold of the log, while whoever keeps them goes on (see view_check):
    each view's position, then its rows, then the log are read, in that order."""
    read = [
        (type(projection), projection.view.max_tracking_id(app.name) or 0, list(projection.rows.all_rows()))
        for projection in projections
    ]
    log = log_by_ticket(app)
    return [check_view(projection, position, rows, log) for projection, position, rows in read]


def log_by_ticket(app: CaseHandling) -> dict[UUID, list[Positioned]]:
    """Every ticket's events, as the views read them, with their positions, in log order."""
    log: dict[UUID, list[Positioned]] = {}
    for batch in LogFollower(app, [], batch_size=REBUILD_BATCH_SIZE).batches(after=0):
        for positioned in batch:
            log.setdefault(positioned[0].originator_id, []).append(positioned)
    return log


def created_projections(
    store: Store, projection_classes: Sequence[ProjectionClass]
) -> list[TicketProjection[Any]]:
    """The projections whose views the store holds, opened without creating anything."""
    views = [(projection, open_view(store, projection, create=False)) for projection in projection_classes]
    return [projection(view) for projection, view in views if view.is_created()]


def rebuild(
    store: Store,
    app: CaseHandling,
    projection_classes: Sequence[ProjectionClass],
    progress: Callable[[int], None] | None = None,
    *,
    batch_size: int = REBUILD_BATCH_SIZE,
) -> int:
    """Forget the views and apply the whole log again, a committed batch (rows + position) at a time.

    Interrupted, the view stays consistent at its last batch: a follower or the worker continues from
    there, and running the rebuild again starts over cleanly. The views must be free: ViewsBusyError while
    `hotline worker` (or `hotline serve` on SQLite) keeps them. The views' secondary indexes are dropped
    meanwhile and built once at the end (queries are slow until then).
    """
    projections = [projection(open_view(store, projection)) for projection in projection_classes]
    views = [projection.rows for projection in projections]
    side_by_side = 1 if store.kind == "sqlite" else INDEX_BUILDERS  # SQLite: one writer per file
    with keeping_the_views(store) as still_held:

        def applied(position: int) -> None:  # after each batch: stop at once if the views were lost
            still_held()
            if progress is not None:
                progress(position)

        for view in views:
            view.clear(app.name)
        with _indexes_dropped(views, side_by_side):
            follower = LogFollower(app, projections, batch_size=batch_size)
            return follower.catch_up(applied)  # each batch read and decoded once for all views


@contextmanager
def _indexes_dropped(views: Sequence[TicketRowsView[Any]], side_by_side: int) -> Iterator[None]:
    """The views' secondary indexes dropped while a rebuild refills them, then built once over all the rows,
    `side_by_side` at a time. Interrupted, they are built on the way out, or when a view is next opened."""
    for view in views:
        view.drop_indexes()
    try:
        yield
    finally:
        builds = [build for view in views for build in view.index_builds()]
        with ThreadPoolExecutor(side_by_side, thread_name_prefix="hotline-index-build") as builders:
            for built in [builders.submit(build) for build in builds]:
                built.result()
