"""The projections as a process of their own on PostgreSQL: a batched catch-up, then the library's
ProjectionRunner for each view (LISTEN/NOTIFY), until told to stop; again after the database fails."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from eventsourcing.projection import ProjectionRunner

from application.projections import PROJECTIONS, ViewFeed
from infrastructure.failures import STORE_FAILURES, store_failure
from infrastructure.projections.keeper import LockCheck, keeping_the_views
from infrastructure.projections.read_side import open_read_side
from infrastructure.projections.views import view_class, view_pool
from infrastructure.stores import Store
from infrastructure.wiring import open_case_handling

Runner = ProjectionRunner[ViewFeed, Any]
FIRST_PAUSE, LONGEST_PAUSE = 1.0, 60.0  # seconds before following again, doubled after each failure


def catch_up(store: Store) -> int:
    """Apply the backlog in big committed batches (much faster than one event per transaction)."""
    app = open_case_handling(store)
    read_side = open_read_side(store, app, follow=True)
    try:
        return read_side.catch_up()
    finally:  # their pools are not needed once the runners follow: closed now, not when collected
        read_side.close()
        app.close()


@contextmanager
def projection_runners(store: Store) -> Iterator[list[Runner]]:
    """One ProjectionRunner per view, following the log live; stopped and joined on exit."""
    with ExitStack() as stack:
        runners: list[Runner] = [
            stack.enter_context(
                ProjectionRunner(
                    application_class=ViewFeed,
                    projection_class=projection,
                    view_class=view_class(store, projection),
                    env={**store.env, **view_pool(store)},  # its application only reads the log
                )
            )
            for projection in PROJECTIONS
        ]
        yield runners


def run_until(
    stop: threading.Event, runners: list[Runner], still_held: LockCheck, check_every: float = 0.5
) -> None:
    """Block until `stop` is set; re-raise the first projection error (the runner stops on it), and the
    store failure that tells the views' lock was lost."""
    while not stop.wait(check_every):
        still_held()
        for runner in runners:
            if runner.is_interrupted.is_set():
                runner.run_forever(timeout=0)  # raises the processing thread's error
                return


def keep_following(
    store: Store, stop: threading.Event, report: Callable[[str], None], *, first_pause: float = FIRST_PAUSE
) -> None:
    """Keep the views, catch up and follow until `stop` is set. When the database fails, or only the views'
    lock is lost, let go of the views and, after a pause (doubled each time, up to a minute), take them
    again (ViewsBusyError if another process has meanwhile), catch up and follow again. Any other error
    ends it."""
    pause = first_pause
    while not stop.is_set():
        try:
            with keeping_the_views(store) as still_held:
                report(f"caught up ({catch_up(store)} notifications read); following")
                pause = first_pause  # the database answers again
                with projection_runners(store) as runners:
                    run_until(stop, runners, still_held)
            return
        except STORE_FAILURES as error:  # the database went away: worth following again once it is back
            report(f"the database failed ({store_failure(error, store)}); following again in {pause:g} s")
            if stop.wait(pause):
                return
            pause = min(2 * pause, LONGEST_PAUSE)
