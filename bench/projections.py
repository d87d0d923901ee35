"""How fast the read views rebuild from the log, next to reading the log raw, and how far they lag live.

    python bench/projections.py --quick                  # small, a minute or so
    python bench/projections.py                          # 1,000,000 events on SQLite and PostgreSQL
    python bench/projections.py --events 200000 --stores sqlite

Rebuild rate: events applied per second by `rebuild` (read, decode, fold, write rows + position per batch),
compared with the raw notification-log read rate (select_notifications only) in the same run; target
ratio >= 0.5. Also shown: reading and decoding the events as the views read them, without any view (the
ceiling for a rebuild). Every measure runs once per round, interleaved; medians over `--repeat` rounds.
Live lag (PostgreSQL): `hotline worker` in its own process, a steady write load, and the
time from each commit until the board's tracking position shows it; target p99 < 200 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path

import psycopg
from eventsourcing.postgres import PostgresApplicationRecorder

from application.handling import CaseHandling
from application.projections import PROJECTIONS, TICKET_TOPICS, StatusBoardProjection
from application.view_events import ViewEventMapper
from domain.ticket import Ticket
from domain.values import (
    Actor,
    Caller,
    ContactChannel,
    IntakeChannel,
    Kind,
    Location,
    Outcome,
    PraiseChannel,
    Role,
    Urgency,
)
from infrastructure.projections.dialects import POSTGRES, SQLITE
from infrastructure.projections.follower import garbage_collection_deferred
from infrastructure.projections.operations import REBUILD_BATCH_SIZE, rebuild
from infrastructure.projections.tables import AUDIT, BOARD, Table
from infrastructure.projections.views import open_view
from infrastructure.stores import Store, store_for

POSTGRES_URL = os.environ.get("HOTLINE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
ACTOR = Actor("bench", Role.SYSTEM, "明星社区居委会")
TICKETS_PER_SAVE = 400  # five events each: one save of 2,000 events


def received_ticket(app: CaseHandling, n: int, now: datetime | None = None) -> Ticket:
    now = now or app.clock()
    return Ticket.receive(
        ticket_id=uuid.uuid4(), external_ref=None, channel=IntakeChannel.HOTLINE, kind=Kind.HELP,
        category="housing.drainage", urgency=Urgency.NORMAL, summary=f"下水管道堵塞 {n}",
        description="明星北区14号楼下水管道堵塞。", location=Location("明星北区14号楼", "明星社区", "14"),
        caller=Caller("魏女士", "13812341234"), unit=ACTOR.unit,
        deadlines=app.policy.deadlines_for(Kind.HELP, "housing.drainage", Urgency.NORMAL, now),
        occurred_at=now, actor=ACTOR, recorded_at=now,
    )  # fmt: skip


def one_ticket(app: CaseHandling, n: int) -> Ticket:
    """A ticket with five events: received, contacted, resolved, feedback, praised."""
    now = app.clock()
    ticket = received_ticket(app, n, now)
    ticket.contact(
        channel=ContactChannel.PHONE, reached=True, note=None, occurred_at=now, actor=ACTOR, recorded_at=now
    )
    ticket.resolve(
        outcome=Outcome.SOLVED, reply="已疏通", reason=None, occurred_at=now, actor=ACTOR, recorded_at=now
    )
    ticket.give_feedback(
        caller_reached=False, contact_confirmed=None, solved=None, satisfaction=None, comment=None,
        occurred_at=now, actor=ACTOR, recorded_at=now,
    )  # fmt: skip
    ticket.praise(
        channel=PraiseChannel.HOTLINE, by=None, message="感谢!", occurred_at=now, actor=ACTOR, recorded_at=now
    )
    return ticket


def fill(app: CaseHandling, events: int) -> None:
    started, written = time.perf_counter(), 0
    while written < events:
        app.save(*(one_ticket(app, written + i) for i in range(TICKETS_PER_SAVE)))
        written += TICKETS_PER_SAVE * 5
    print(f"  wrote {written:,} events in {time.perf_counter() - started:.1f} s")


def raw_read_rate(app: CaseHandling, decode: bool = False) -> float:
    """Events/s reading the log the way a rebuild does (in its batches), optionally also decoding them as
    the views read them."""
    mapper = ViewEventMapper.like(app.mapper)
    started, start, read = time.perf_counter(), 0, 0
    while True:
        with garbage_collection_deferred():  # as the rebuild does, so the comparison is like for like
            batch = app.recorder.select_notifications(
                start=start, limit=REBUILD_BATCH_SIZE, topics=TICKET_TOPICS, inclusive_of_start=False
            )
            if decode:
                [mapper.to_domain_event(notification) for notification in batch]
        if not batch:
            return read / (time.perf_counter() - started)
        read += len(batch)
        start = batch[-1].id


def rebuild_rate(store: Store, app: CaseHandling, projections: list[type[object]]) -> float:
    total = app.recorder.max_notification_id() or 0
    started = time.perf_counter()
    rebuild(store, app, projections)  # type: ignore[arg-type]
    return total / (time.perf_counter() - started)


def cores_busy(measure: Callable[[], float]) -> tuple[float, float, float | None]:
    """`measure()`, this process's CPU seconds while it ran (every thread), and the fraction of all the
    machine's cores that were busy meanwhile (from /proc/stat; None where there is none)."""
    cpu, before = time.process_time(), _cpu_ticks()
    result = measure()
    cpu, after = time.process_time() - cpu, _cpu_ticks()
    if before is None or after is None or after[0] == before[0]:
        return result, cpu, None
    return result, cpu, 1 - (after[1] - before[1]) / (after[0] - before[0])


def _cpu_ticks() -> tuple[int, int] | None:
    """All cores' ticks so far, and the idle ones among them."""
    stat = Path("/proc/stat")
    if not stat.exists():
        return None
    ticks = [int(n) for n in stat.read_text().splitlines()[0].split()[1:]]
    return sum(ticks), ticks[3] + ticks[4]  # idle + iowait


def settle(app: CaseHandling) -> None:
    """On PostgreSQL, what autovacuum does to a table soon after a bulk load: vacuum it and gather its
    statistics. Without statistics the planner sorts the whole rest of the log for every batch it reads
    (this machine's PostgreSQL runs with autovacuum off), which slows the raw read and a rebuild alike."""
    recorder = app.recorder
    if isinstance(recorder, PostgresApplicationRecorder):
        table = f'"{recorder.datastore.schema}".{recorder.events_table_name}'
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f"VACUUM (ANALYZE) {table}")


def row_write_rate(store: Store, events: int) -> float:
    """The store's own limit for a rebuild's writes, in events/s of the log: every row the last rebuild of
    both views wrote, read back as stored, in the order written, and inserted again into empty tables of the
    same columns the way a rebuild writes new rows (executemany on SQLite, binary COPY on PostgreSQL), a
    commit per rebuild batch's worth of rows. Only the inserts and commits are timed: no reading of the log,
    decoding, folding or encoding, the database alone. Read a batch at a time, so memory stays low."""
    elapsed = 0.0
    for table in (BOARD, AUDIT):
        if store.kind == "sqlite":
            elapsed += _sqlite_rewrite(store.env["SQLITE_DBNAME"], table, events)
        else:
            elapsed += _postgres_rewrite(store.env["POSTGRES_SCHEMA"], table, events)
    return events / elapsed


def _sqlite_rewrite(path: str, table: Table, events: int) -> float:
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(path)) as target:
        count = source.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
        rows = source.execute(f"SELECT * FROM {table.name}")  # in the order the rebuild wrote them
        scratch = f"bench_{table.name}"
        target.execute(table.create_statements(SQLITE, scratch)[0])
        insert, chunk, elapsed = table.insert(SQLITE, scratch), _rows_per_batch(count, events), 0.0
        while batch := rows.fetchmany(chunk):
            started = time.perf_counter()
            target.executemany(insert, batch)
            target.commit()
            elapsed += time.perf_counter() - started
        target.execute(f"DROP TABLE {scratch}")
        target.commit()
        return elapsed


def _postgres_rewrite(schema: str, table: Table, events: int) -> float:
    types = table.sql_types(POSTGRES)
    with psycopg.connect(POSTGRES_URL) as source, psycopg.connect(POSTGRES_URL) as target:
        count = source.execute(f'SELECT count(*) FROM "{schema}".{table.name}').fetchone()[0]  # type: ignore[index]
        scratch = f'"{schema}".bench_{table.name}'
        target.execute(table.create_statements(POSTGRES, scratch)[0])
        target.commit()
        chunk, elapsed = _rows_per_batch(count, events), 0.0
        with source.cursor(name="rows") as rows:  # server-side: streamed in the order written
            rows.execute(f'SELECT * FROM "{schema}".{table.name}')
            while batch := rows.fetchmany(chunk):
                started = time.perf_counter()
                with target.cursor().copy(f"COPY {scratch} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(types)
                    for row in batch:
                        copy.write_row(row)
                target.commit()
                elapsed += time.perf_counter() - started
        target.execute(f"DROP TABLE {scratch}")
        target.commit()
        return elapsed


def _rows_per_batch(rows: int, events: int) -> int:
    """As many rows as a rebuild batch writes on average."""
    return max(1, rows * REBUILD_BATCH_SIZE // events)


def rebuild_bench(store: Store, events: int, repeat: int) -> None:
    """Each round measures the raw read, then read + decode, then each rebuild: interleaved, so a busy
    moment on the machine touches all of them alike. Medians over the rounds; the ratio is the median of
    each round's own ratio."""
    app = CaseHandling(env=store.env)
    fill(app, events)
    settle(app)
    kinds: list[tuple[str, Callable[[], float]]] = [
        ("raw", lambda: raw_read_rate(app)),
        ("decoded", lambda: raw_read_rate(app, decode=True)),
    ]
    for label, chosen in [(p.name, [p]) for p in PROJECTIONS]:
        kinds.append((label, lambda chosen=chosen: rebuild_rate(store, app, chosen)))  # type: ignore[misc]
    usage: list[tuple[float, float | None]] = []  # the both-views rebuilds' client CPU per event, cores busy

    def both_views() -> float:
        rate, cpu, busy = cores_busy(lambda: rebuild_rate(store, app, list(PROJECTIONS)))
        usage.append((cpu / (app.recorder.max_notification_id() or 1), busy))
        return rate

    kinds.append(("both views", both_views))
    kinds.append(("rows alone", lambda: row_write_rate(store, app.recorder.max_notification_id() or 0)))
    rounds = [{label: measure() for label, measure in kinds} for _ in range(repeat)]
    raw = statistics.median(r["raw"] for r in rounds)
    print(f"  raw notification-log read (baseline): {raw:>10,.0f} events/s   (median of {repeat})")
    for label, _ in kinds[1:-1]:
        rate = statistics.median(r[label] for r in rounds)
        ratio = statistics.median(r[label] / r["raw"] for r in rounds)
        name = "read + decode as the views read" if label == "decoded" else f"rebuild {label}"
        target = "" if label == "decoded" else " (target >= 0.5)"
        print(f"  {name:<32} {rate:>10,.0f} events/s   ratio to raw read {ratio:.2f}{target}")
    cpu_per_event = statistics.median(cpu for cpu, _ in usage)
    wall_per_event = statistics.median(1 / r["both views"] for r in rounds)
    busy = [b for _, b in usage if b is not None]
    cores = f"; the machine's {os.cpu_count()} cores {statistics.median(busy):.0%} busy" if busy else ""
    print(
        f"  rebuilding both views, this process used {cpu_per_event * 1e6:.1f} µs of CPU per event in "
        f"{wall_per_event * 1e6:.1f} µs{cores}"
    )
    writes = statistics.median(r["rows alone"] for r in rounds)
    print(f"  the store writing both views' rows alone (its own limit): {writes:>7,.0f} events/s")
    # Work done one step after another adds up per event: 1/rate + 1/rate. What a rebuild must do at least,
    # in one thread: read and decode the log (measured above) and have the store write the rows.
    floor = statistics.median(1 / (1 / r["decoded"] + 1 / r["rows alone"]) / r["raw"] for r in rounds)
    print(f"  read + decode + the store's writes, one after another, folding for free: ratio {floor:.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of this process so far (fill, reads, rebuilds): {peak:,.0f} MB")


def lag_bench(store: Store, seconds: float, rate: float) -> None:
    app = CaseHandling(env=store.env)
    view = open_view(store, StatusBoardProjection)
    env = {**os.environ, "HOTLINE_DATABASE_URL": f"{POSTGRES_URL}?schema={store.env['POSTGRES_SCHEMA']}"}
    worker = subprocess.Popen([str(Path(sys.executable).parent / "hotline"), "worker"], env=env)
    try:
        marker = app.save(received_ticket(app, -1))[-1].notification.id
        view.wait(app.name, marker, timeout=600)  # the worker is live: it has applied a new event
        lags = measure_lag(app, view, seconds, rate)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait()
    lags.sort()
    p50, p99 = statistics.median(lags), lags[int(len(lags) * 0.99) - 1]
    summary = f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms (target p99 < 200 ms)"
    print(f"  live lag, commit to visible on the board, {len(lags)} commits at {rate:g}/s: {summary}")


def measure_lag(app: CaseHandling, view: object, seconds: float, rate: float) -> list[float]:
    committed: dict[int, float] = {}
    seen: dict[int, float] = {}
    done = threading.Event()

    def watch() -> None:
        last = 0
        while not done.is_set() or last < max(committed, default=0):
            position = view.max_tracking_id(app.name) or 0  # type: ignore[attr-defined]
            if position > last:
                seen[position], last = time.perf_counter(), position
            time.sleep(0.0005)  # poll every half millisecond, leaving the CPU to the worker

    watcher = threading.Thread(target=watch)
    watcher.start()
    deadline, n = time.perf_counter() + seconds, 0
    while time.perf_counter() < deadline:
        recordings = app.save(received_ticket(app, n))
        committed[recordings[-1].notification.id] = time.perf_counter()
        n += 1
        time.sleep(max(0.0, 1 / rate - 0.0005))
    done.set()
    watcher.join()
    seen_positions = sorted(seen)
    return [_first_seen(seen, seen_positions, p) - t for p, t in committed.items()]


def _first_seen(seen: dict[int, float], positions: list[int], position: int) -> float:
    return min(seen[p] for p in positions if p >= position)


def postgres_schema() -> tuple[Store, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return store_for(f"{POSTGRES_URL}?schema={schema}"), schema


def drop_schema(schema: str) -> None:
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 events and a 5 s lag run")
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--lag-seconds", type=float, default=20)
    parser.add_argument("--lag-rate", type=float, default=100, help="commits per second during the lag run")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every measure; medians are shown")
    args = parser.parse_args()
    events, lag_seconds = (20_000, 5.0) if args.quick else (args.events, args.lag_seconds)
    stores = args.stores.split(",")
    if "sqlite" in stores:
        with tempfile.TemporaryDirectory() as tmp:
            print(f"SQLite, {events:,} events")
            rebuild_bench(store_for(f"sqlite:///{tmp}/bench.db"), events, args.repeat)
    if "postgres" in stores:
        store, schema = postgres_schema()
        try:
            print(f"PostgreSQL, {events:,} events")
            rebuild_bench(store, events, args.repeat)
            lag_bench(store, lag_seconds, args.lag_rate)
        finally:
            drop_schema(schema)


if __name__ == "__main__":
    main()
