"""The read side of one deployment: both views, and on stores without subscriptions the log follower."""

from __future__ import annotations

from typing import Any

from application.handling import CaseHandling
from application.projections import PROJECTIONS, TicketProjection
from application.read_models import ResponseAudit, StatusBoard
from infrastructure.projections.follower import LogFollower
from infrastructure.projections.tracked import TrackedPosition
from infrastructure.projections.views import open_view
from infrastructure.stores import Store


class ProjectedReadSide:
    """A `ReadSide`: on PostgreSQL `hotline worker` keeps the views current; elsewhere `follower` does."""

    def __init__(
        self, app: CaseHandling, projections: list[TicketProjection[Any]], follower: LogFollower | None
    ) -> None:
        self.app = app
        self.projections = projections
        self.follower = follower
        views: list[Any] = [p.view for p in projections]
        self._views: list[TrackedPosition] = views
        self._board: StatusBoard = views[0]
        self._audit: ResponseAudit = views[1]

    @property
    def board(self) -> StatusBoard:
        return self._board

    @property
    def audit(self) -> ResponseAudit:
        return self._audit

    def wait(self, position: int | None, timeout: float = 2.0) -> None:
        """Return once both views have applied `position`; ViewBehindError after `timeout` seconds."""
        if self.follower is not None and not self._reached(position):
            self.follower.catch_up()  # in this thread: no waiting on the background one
        for view in self._views:
            view.wait_for(position, timeout)

    def _reached(self, position: int | None) -> bool:
        return all(view.has_tracking_id(CaseHandling.name, position) for view in self._views)

    def catch_up(self) -> int:
        """Apply every event recorded so far, now, in this thread; the number of notifications read."""
        assert self.follower is not None, "on PostgreSQL the worker keeps the views current"
        return self.follower.catch_up()

    def start(self) -> None:
        """Follow the log in the background, woken at once by every save of the application in this
        process (a no-op on PostgreSQL, where `hotline worker` does it)."""
        if self.follower is not None:
            if self.follower.poke not in self.app.on_saved:
                self.app.on_saved.append(self.follower.poke)
            self.follower.start()

    def stop(self) -> None:
        if self.follower is not None:
            # So the application and its read side refer to each other only while following: a read
            # side dropped unstarted (the worker's catch-up) is freed at once, its pools closed with it.
            if self.follower.poke in self.app.on_saved:
                self.app.on_saved.remove(self.follower.poke)
            self.follower.stop()

    def close(self) -> None:
        """Stop following and close the views' connections."""
        self.stop()
        for projection in self.projections:
            datastore = getattr(projection.view, "datastore", None)
            if datastore is not None:
                datastore.close()


def open_read_side(store: Store, app: CaseHandling, *, follow: bool | None = None) -> ProjectedReadSide:
    """Both views on `store`; with a log follower (not started) unless the store pushes to a worker."""
    projections = [projection(open_view(store, projection)) for projection in PROJECTIONS]
    if follow is None:
        follow = not store.has_subscriptions
    follower = LogFollower(app, projections) if follow else None
    return ProjectedReadSide(app, projections, follower)
