"""Operating the views: where each stands against the log, and rebuilding one from the log."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass

from application.handling import CaseHandling
from application.projections import PROJECTIONS
from infrastructure.projections.follower import LogFollower
from infrastructure.projections.keeper import keeping_the_views
from infrastructure.projections.views import ProjectionClass, open_view
from infrastructure.stores import Store

REBUILD_BATCH_SIZE = (
    20_000  # a few tens of MB at a time (two batches in memory, one read ahead); one commit per view
)


@dataclass(frozen=True)
class ViewStatus:
    name: str
    position: int | None  # the last log position the view applied
    log_end: int | None  # the log's last notification id

    @property
    def lag(self) -> int:
        return (self.log_end or 0) - (self.position or 0)


def view_statuses(store: Store, app: CaseHandling) -> list[ViewStatus]:
    log_end = app.recorder.max_notification_id()
    return [ViewStatus(p.name, open_view(store, p).max_tracking_id(app.name), log_end) for p in PROJECTIONS]


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
    with keeping_the_views(store), ExitStack() as indexes_rebuilt_on_exit:
        for projection in projections:
            projection.rows.clear(app.name)
            indexes_rebuilt_on_exit.enter_context(projection.rows.bulk_loading())
        follower = LogFollower(app, projections, batch_size=batch_size)
        return follower.catch_up(progress)  # each batch read and decoded once for all views
