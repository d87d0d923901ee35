"""On PostgreSQL the projections run live (LISTEN/NOTIFY) in `hotline worker`, a process of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest

from application.handling import CaseHandling
from application.projections import PROJECTIONS, TicketRowsView
from infrastructure.projections.follower import garbage_collection_deferred
from infrastructure.projections.keeper import (
    KEEPALIVE_COUNT,
    KEEPALIVE_IDLE,
    KEEPALIVE_INTERVAL,
    LOCK_CLASS,
    ViewsLockLostError,
    keeping_the_views,
)
from infrastructure.projections.operations import rebuild
from infrastructure.projections.read_side import open_read_side
from infrastructure.projections.views import open_view
from infrastructure.projections.worker import keep_following, projection_runners
from infrastructure.stores import Store
from infrastructure.wiring import open_case_handling
from tests.builders import CENTRE, FakeClock, hotline_ticket
from tests.conftest import POSTGRES_URL, postgres_store
from tests.read_side.histories import play
from tests.read_side.test_exactly_once import busy_history, events_per_ticket

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(postgres_schema: str) -> Store:
    return postgres_store(postgres_schema)


def test_the_runner_follows_new_events_and_a_client_can_wait_for_its_write(pg: Store) -> None:
    with projection_runners(pg) as runners:
        app = runners[0].app
        recorded = app.receive(hotline_ticket(external_ref="JN-LIVE-1"), CENTRE)
        for runner in runners:
            runner.wait(recorded.position, timeout=10)

        row = runners[0].projection.view.row(recorded.ticket.id)
        audit = runners[1].projection.view.ticket(recorded.ticket.id, now=recorded.ticket.received_at)

    assert row is not None
    assert row.external_ref == "JN-LIVE-1"
    assert audit is not None


@pytest.fixture
def worker_env(postgres_schema: str) -> dict[str, str]:
    return {**os.environ, "HOTLINE_DATABASE_URL": f"{POSTGRES_URL}?schema={postgres_schema}"}


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    hotline = Path(sys.executable).parent / "hotline"
    return subprocess.Popen([str(hotline), "worker"], env=env, stderr=subprocess.PIPE)


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for_views(pg: Store, position: int | None) -> list[TicketRowsView[Any]]:
    views = [open_view(pg, projection) for projection in PROJECTIONS]
    for view in views:
        view.wait(CaseHandling.name, position, timeout=60)
    return views


def test_killing_the_worker_mid_stream_and_restarting_it_applies_every_event_once(
    pg: Store, worker_env: dict[str, str], workers: list[subprocess.Popen[bytes]], clock: FakeClock
) -> None:
    app = CaseHandling(env=pg.env, clock=clock)
    tickets = play(app, clock, busy_history(10))
    workers.append(start_worker(worker_env))
    wait_for_views(pg, app.recorder.max_notification_id())

    tickets += play(app, clock, busy_history(20))  # the worker is following these as they come
    workers[0].kill()
    workers[0].wait()
    tickets += play(app, clock, busy_history(5))  # written while no worker runs
    workers.append(start_worker(worker_env))
    board, audit = wait_for_views(pg, app.recorder.max_notification_id())
    workers[1].send_signal(signal.SIGTERM)

    assert workers[1].wait(timeout=30) == 0  # a clean stop
    rows = board.rows_for(tickets)
    assert {t: rows[t].version for t in tickets} == events_per_ticket(app)
    assert all(row.praise_count == 1 for row in rows.values())
    facts = audit.rows_for(tickets)
    assert all(len(f.feedback) == 1 for f in facts.values())
    for view in (board, audit):
        assert view.max_tracking_id(app.name) == app.recorder.max_notification_id()
    app.close()


def test_the_workers_catch_up_leaves_nothing_behind_to_hold_its_connections(pg: Store) -> None:
    app = open_case_handling(pg)
    read_side = open_read_side(pg, app, follow=True)
    read_side.catch_up()
    dropped = weakref.ref(app)

    with garbage_collection_deferred():
        del app, read_side
        assert dropped() is None  # freed at once, not at some later collection: its pools are closed


class Reports:
    """What `keep_following` reports; `taken_again` is set once it caught up again after a failure."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.taken_again = threading.Event()

    def __call__(self, line: str) -> None:
        self.said.append(line)
        if line.startswith("caught up") and self.failures:
            self.taken_again.set()

    @property
    def failures(self) -> list[str]:
        return [line for line in self.said if line.startswith("the database failed")]


@contextmanager
def following(pg: Store) -> Iterator[Reports]:
    """`keep_following` in a thread (pausing 0.1 s after a failure) while the block runs, then stopped; it
    must stop cleanly."""
    stop, reports = threading.Event(), Reports()
    worker = threading.Thread(target=keep_following, args=(pg, stop, reports), kwargs={"first_pause": 0.1})
    worker.start()
    try:
        yield reports
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()


def test_the_worker_follows_again_after_the_database_drops_its_connections(
    pg: Store, clock: FakeClock
) -> None:
    app = CaseHandling(env=pg.env, clock=clock)
    first = app.receive(hotline_ticket(external_ref="JN-BEFORE"), CENTRE).position
    with following(pg) as reports:
        wait_for_views(pg, first)
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:  # as a restart would, to every session
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        assert reports.taken_again.wait(timeout=30)  # it noticed, let go and took the views again
        # The application's pool is cut too: the library tries again on a fresh connection.
        second = app.receive(hotline_ticket(external_ref="JN-AFTER"), CENTRE).position
        board, audit = wait_for_views(pg, second)

    assert reports.said[-1].startswith("caught up")  # following ever since
    for view in (board, audit):
        assert view.max_tracking_id(app.name) == second
    app.close()


def views_lock_holder(admin: psycopg.Connection[Any]) -> int | None:
    """The backend holding the views' lock, if one does (the keeper's two-key advisory lock)."""
    row = admin.execute(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objsubid = 2 AND granted",
        (LOCK_CLASS,),
    ).fetchone()
    return None if row is None else int(row[0])


def test_the_worker_takes_the_views_again_when_only_its_lock_is_lost(pg: Store, clock: FakeClock) -> None:
    app = CaseHandling(env=pg.env, clock=clock)
    first = app.receive(hotline_ticket(external_ref="JN-BEFORE"), CENTRE).position
    with following(pg) as reports:
        wait_for_views(pg, first)
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            holder = views_lock_holder(admin)
            assert holder is not None
            admin.execute("SELECT pg_terminate_backend(%s)", (holder,))  # that connection alone is cut
            assert reports.taken_again.wait(timeout=30)  # the worker noticed, let go and took the views again
            new_holder = views_lock_holder(admin)
        second = app.receive(hotline_ticket(external_ref="JN-AFTER"), CENTRE).position
        board, audit = wait_for_views(pg, second)

    assert new_holder is not None
    assert new_holder != holder
    assert any("the views' lock was lost" in line for line in reports.failures)
    for view in (board, audit):
        assert view.max_tracking_id(app.name) == second
    app.close()


def test_a_rebuild_stops_when_its_views_lock_is_lost(pg: Store, clock: FakeClock) -> None:
    app = CaseHandling(env=pg.env, clock=clock)
    play(app, clock, busy_history(5))
    reached: list[int] = []

    def cut_the_lock(position: int) -> None:
        reached.append(position)
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (views_lock_holder(admin),))

    with pytest.raises(ViewsLockLostError):
        rebuild(pg, app, PROJECTIONS, cut_the_lock, batch_size=7)

    assert len(reached) == 1  # the batch after the one that lost the lock was the last one applied
    for view in (open_view(pg, projection) for projection in PROJECTIONS):
        assert reached[0] < (view.max_tracking_id(app.name) or 0) < (app.recorder.max_notification_id() or 0)
    app.close()


def test_the_server_probes_the_lock_connection_so_a_vanished_holder_frees_the_views_in_a_minute(
    pg: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[psycopg.Connection[Any]] = []
    connect = psycopg.connect

    def keeping(*args: Any, **kwargs: Any) -> psycopg.Connection[Any]:
        opened.append(connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(psycopg, "connect", keeping)
    with keeping_the_views(pg):
        settings = {
            name: opened[0].execute(f"SHOW {name}").fetchone()
            for name in ("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count")
        }

    probing = [int(value[0]) for value in settings.values() if value is not None]
    assert probing == [KEEPALIVE_IDLE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT]
    assert KEEPALIVE_IDLE + KEEPALIVE_INTERVAL * KEEPALIVE_COUNT <= 60
