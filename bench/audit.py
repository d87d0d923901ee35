"""How fast the audit chain is: verify rate against the raw notification-log read rate, and the cost of
hashing on the append path (write rate with and without the chain), both measured in the same run.

    .venv/bin/python bench/audit.py --quick                  # a small run, about a minute
    .venv/bin/python bench/audit.py --events 1000000         # the full run (both stores)
    .venv/bin/python bench/audit.py --stores sqlite --events 1000000

PostgreSQL is read from HOTLINE_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test);
each run uses a fresh schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from uuid import UUID

import psycopg
from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from application.audit.verification import verify_chain
from application.commands import ReceiveTicket, RecordContact
from application.handling import CaseHandling
from domain.values import (
    Actor,
    Caller,
    ContactChannel,
    IntakeChannel,
    Kind,
    Location,
    Role,
    Urgency,
)
from infrastructure.stores import Store, store_for
from infrastructure.wiring import open_case_handling

POSTGRES_URL = os.environ.get("HOTLINE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
CENTRE = Actor("centre-1", Role.INTAKE, "济南12345")
WORKER = Actor("mabin", Role.WORKER, "明星社区居委会")
FILL_BATCH = 1000
WRITE_BLOCK = 50


def ticket() -> ReceiveTicket:
    return ReceiveTicket(
        channel=IntakeChannel.HOTLINE, kind=Kind.HELP, category="housing.drainage", urgency=Urgency.NORMAL,
        summary="14号楼下水管道堵塞", description="明星北区14号楼下水管道堵塞，春节前急需疏通。" * 3,
        location=Location("明星北区14号楼", "明星社区", building="14"), unit=WORKER.unit,
        caller=Caller("魏女士", "13812341234"),
    )  # fmt: skip


def contact() -> RecordContact:
    return RecordContact(
        datetime.now(UTC), ContactChannel.PHONE, reached=False, note="电话无人接听，稍后再联系"
    )


@contextmanager
def fresh_store(kind: str, *, chained: bool = True) -> Iterator[Store]:
    """An empty store of `kind`; without the chain it uses the library's own recorder."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield _unchained(store_for(f"sqlite:///{folder}/bench.db"), chained)
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield _unchained(store_for(f"{POSTGRES_URL}?schema={schema}"), chained)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _unchained(store: Store, chained: bool) -> Store:
    if chained:
        return store
    return Store(store.kind, {k: v for k, v in store.env.items() if k != "APPLICATION_RECORDER_TOPIC"})


def saves_per_second(app: CaseHandling, tickets: list[UUID], first: int, count: int) -> float:
    """Events/s through the application, one save per event, as workers record their calls."""
    started = time.perf_counter()
    for index in range(first, first + count):
        app.contact(tickets[index % len(tickets)], contact(), WORKER)
    return count / (time.perf_counter() - started)


def sample_events(app: CaseHandling) -> list[StoredEvent]:
    """The stored form of a real ticket's events, to be copied under new ids."""
    ticket_id = app.receive(ticket(), CENTRE).ticket.id
    for _ in range(6):
        app.contact(ticket_id, contact(), WORKER)
    return list(app.recorder.select_events(ticket_id))


def fill(recorder: ApplicationRecorder, samples: list[StoredEvent], events: int) -> None:
    """Append `events` more events through the (chained) recorder, FILL_BATCH per transaction."""
    batch: list[StoredEvent] = []
    for _ in range(0, events, len(samples)):
        originator = uuid.uuid4()
        batch += [StoredEvent(originator, s.originator_version, s.topic, s.state) for s in samples]
        if len(batch) >= FILL_BATCH:
            recorder.insert_events(batch)
            batch = []
    if batch:
        recorder.insert_events(batch)


def read_rate(recorder: ApplicationRecorder, batch: int) -> tuple[float, int]:
    """Events/s reading the whole notification log with the library's own select_notifications."""
    started, after, count = time.perf_counter(), 0, 0
    while page := recorder.select_notifications(after, batch, inclusive_of_start=False):
        count += len(page)
        after = page[-1].id
    return count / (time.perf_counter() - started), count


def verify_rate(app: CaseHandling, batch: int) -> tuple[float, int]:
    started = time.perf_counter()
    result = verify_chain(app.recorder, batch_size=batch)  # type: ignore[arg-type]
    assert result.ok, result
    return result.events_checked / (time.perf_counter() - started), result.events_checked


def bench_reading(kind: str, events: int, batch: int, rounds: int) -> None:
    with fresh_store(kind) as store:
        app = open_case_handling(store)
        started = time.perf_counter()
        fill(app.recorder, sample_events(app), events)
        elapsed = time.perf_counter() - started
        print(f"  filled {events:,} events through the chained recorder in {elapsed:.0f} s")
        reads, verifies = [], []
        for _ in range(rounds):  # interleaved, so both see the same machine load
            reads.append(read_rate(app.recorder, batch)[0])
            verifies.append(verify_rate(app, batch)[0])
        read, verify = statistics.median(reads), statistics.median(verifies)
        print(f"  raw notification-log read: {read:>10,.0f} events/s (median of {rounds})")
        ratio = verify / read
        print(f"  audit verify:              {verify:>10,.0f} events/s  ratio {ratio:.2f}  (target >= 0.50)")
        app.close()


def bench_writing(kind: str, writes: int) -> None:
    """Both stores open at once, saving in alternating blocks, so machine load falls on both alike."""
    with fresh_store(kind, chained=False) as plain_store, fresh_store(kind) as chained_store:
        apps = [open_case_handling(plain_store), open_case_handling(chained_store)]
        # Enough tickets that replaying each one before its next command stays cheap.
        tickets = [
            [app.receive(ticket(), CENTRE).ticket.id for _ in range(max(10, writes // 5))] for app in apps
        ]
        rates: list[list[float]] = [[], []]
        for block, first in enumerate(range(0, writes, WRITE_BLOCK)):
            # Each store goes first in every other block, so neither always runs right after the other.
            for side in (0, 1) if block % 2 == 0 else (1, 0):
                rates[side].append(saves_per_second(apps[side], tickets[side], first, WRITE_BLOCK))
        for app in apps:
            app.close()
    plain, chained = rates
    ratio = statistics.median(c / p for p, c in zip(plain, chained, strict=True))
    blocks = f"median of {len(plain)} blocks of {WRITE_BLOCK} saves"
    print(f"  append without the chain:  {statistics.median(plain):>10,.0f} events/s ({blocks})")
    print(f"  append with the chain:     {statistics.median(chained):>10,.0f} events/s  ratio {ratio:.2f}"
          f" (median of blockwise ratios; {(1 - ratio) * 100:+.1f}% slower; target <= 10%)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000, help="events to verify (default 1,000,000)")
    parser.add_argument("--writes", type=int, default=3000, help="saves per append-rate run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved read and verify walks")
    parser.add_argument("--batch", type=int, default=10_000, help="rows per read (both readers)")
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--quick", action="store_true", help="20,000 events, 500 saves")
    args = parser.parse_args()
    if args.quick:
        args.events, args.writes = 20_000, 500
    for kind in args.stores.split(","):
        print(f"{kind}:")
        bench_reading(kind, args.events, args.batch, args.rounds)
        bench_writing(kind, args.writes)


if __name__ == "__main__":
    main()
