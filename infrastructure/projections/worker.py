"""The projections as a process of their own on PostgreSQL: a batched catch-up, then the library's
ProjectionRunner for each view (LISTEN/NOTIFY), until told to stop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from eventsourcing.projection import ProjectionRunner

from application.projections import PROJECTIONS, ViewFeed
from infrastructure.projections.read_side import open_read_side
from infrastructure.projections.views import view_class
from infrastructure.stores import Store
from infrastructure.wiring import open_case_handling

Runner = ProjectionRunner[ViewFeed, Any]


def catch_up(store: Store) -> int:
    """Apply the backlog in big committed batches (much faster than one event per transaction)."""
    app = open_case_handling(store)
    return open_read_side(store, app, follow=True).catch_up()


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
                    env=store.env,
                )
            )
            for projection in PROJECTIONS
        ]
        yield runners


def run_until(stop: threading.Event, runners: list[Runner], check_every: float = 0.5) -> None:
    """Block until `stop` is set; re-raise the first projection error (the runner stops on it)."""
    while not stop.wait(check_every):
        for runner in runners:
            if runner.is_interrupted.is_set():
                runner.run_forever(timeout=0)  # raises the processing thread's error
                return
