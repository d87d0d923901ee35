"""Where a view is in the log, and a bounded wait for a position, on the library's tracking records."""

from __future__ import annotations

from abc import ABC

from eventsourcing.persistence import TrackingRecorder

from application.handling import CaseHandling
from application.read_models import ViewBehindError

UPSTREAM = CaseHandling.name  # the application whose log the views follow


class TrackedPosition(TrackingRecorder, ABC):
    view_name = "view"

    def position(self) -> int | None:
        """The last log position this view has applied (None before the first)."""
        return self.max_tracking_id(UPSTREAM)

    def wait_for(self, position: int | None, timeout: float = 2.0) -> None:
        """Return once the view has applied `position`; ViewBehindError after `timeout` seconds."""
        try:
            self.wait(UPSTREAM, position, timeout=timeout)
        except TimeoutError:
            assert position is not None  # None is always reached
            raise ViewBehindError(self.view_name, position, self.position(), timeout) from None
