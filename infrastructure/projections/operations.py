"""Operating the views: where each stands against the log, and rebuilding one from the log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.handling import CaseHandling
from application.projections import PROJECTIONS
from infrastructure.projections.follower import LogFollower
from infrastructure.projections.views import ProjectionClass, open_view
from infrastructure.stores import Store


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
    projection_class: ProjectionClass,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Forget the view and apply the whole log again, a committed batch (rows + position) at a time.

    Interrupted, the view stays consistent at its last batch: a follower or the worker continues from
    there, and running the rebuild again starts over cleanly. Stop `hotline worker` first.
    """
    projection = projection_class(open_view(store, projection_class))
    projection.view.clear(app.name)
    return LogFollower(app, [projection]).catch_up(progress)
