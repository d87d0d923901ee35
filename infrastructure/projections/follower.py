"""Keeping projections current by reading the notification log in batches: SQLite's way (it has no
subscriptions), the catch-up before live on PostgreSQL, and the engine of a rebuild."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification, Tracking

from application.projections import TICKET_TOPICS, TicketProjection, by_ticket
from application.ticket_folds import Positioned
from application.view_events import ViewEventMapper

log = logging.getLogger(__name__)
Progress = Callable[[int], None]  # called with the log position reached after each batch
BATCH_SIZE = 5000  # fewer commits and reads of stored rows; a batch is a few MB


@contextmanager
def garbage_collection_deferred() -> Iterator[None]:
    """Python's cycle collector paused while catching up: decoding thousands of events allocates millions
    of objects, none in cycles, and the collector kept re-scanning them (about a fifth of a rebuild here).
    Everything is still freed batch by batch, by reference counting (see the peak memory in the bench)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class LogFollower:
    """Applies the events after each projection's position, a committed batch at a time."""

    def __init__(
        self,
        app: Application[UUID],
        projections: Sequence[TicketProjection[Any]],
        *,
        batch_size: int = BATCH_SIZE,
        poll_interval: float = 0.5,
    ) -> None:
        self.app = app
        self.mapper = ViewEventMapper.like(app.mapper)
        self.projections = list(projections)
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.error: BaseException | None = None  # the last failure of the background thread
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply every event recorded so far; return how many notifications were read."""
        with self._lock, garbage_collection_deferred():
            reached = [p.view.max_tracking_id(self.app.name) or 0 for p in self.projections]
            read = 0
            for batch in self.batches(after=min(reached, default=0)):
                self._apply(batch, reached)
                reached = [max(position, batch[-1][1]) for position in reached]
                read += len(batch)
                if progress is not None:
                    progress(batch[-1][1])
            return read

    def batches(self, after: int) -> Iterator[list[Positioned]]:
        """The log's ticket events after the position `after`, decoded as the views read them, with their
        positions, a batch at a time."""
        to_event = self.mapper.to_domain_event
        for notifications in self._notifications(after):
            yield [(to_event(notification), notification.id) for notification in notifications]

    def _notifications(self, after: int) -> Iterator[Sequence[Notification]]:
        """The log's ticket events after the position `after`, a batch at a time. While batches come back
        full, the next one is read in a thread meanwhile, so the database's work on it overlaps decoding,
        folding and writing this one (about a tenth off a rebuild on PostgreSQL; no change on SQLite)."""
        batch = self._read(after)
        if len(batch) < self.batch_size:  # live: all there is, in one go
            yield from [batch] if batch else []
            return
        with ThreadPoolExecutor(1, thread_name_prefix="hotline-read-ahead") as reader:
            while batch:
                ahead = reader.submit(self._read, batch[-1].id)
                yield batch
                batch = ahead.result()

    def _read(self, after: int) -> Sequence[Notification]:
        return self.app.recorder.select_notifications(
            start=after, limit=self.batch_size, topics=TICKET_TOPICS, inclusive_of_start=False
        )

    def _apply(self, batch: list[Positioned], reached: list[int]) -> None:
        """Apply `batch` to each projection past the position it had `reached` (this follower holds the
        lock, and the views have one keeper: nothing else moved them since they were read)."""
        up_to = Tracking(self.app.name, batch[-1][1])
        tickets = by_ticket(batch)  # grouped once for every view that lacks the whole batch
        for projection, position in zip(self.projections, reached, strict=True):
            if position >= batch[0][1]:  # this view is ahead of another one: only what it lacks
                projection.process_batch([(e, at) for e, at in batch if at > position], up_to)
            else:
                projection.process_tickets(tickets, up_to)

    # -- in the background --------------------------------------------------------------------

    def start(self) -> None:
        """Follow the log in a thread: woken by `poke()`, else every `poll_interval` seconds."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._follow, name="hotline-projections", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """New events were saved: catch up now rather than at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _follow(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()  # before catching up, so a poke during it is not lost
            try:
                self.catch_up()
                self.error = None
            except Exception as error:  # keep following: the next batch may succeed (e.g. a lock timeout)
                self.error = error
                log.exception("the projections could not catch up")
            self._wake.wait(self.poll_interval)
