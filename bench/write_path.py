"""Commands per second through the application, next to the raw eventsourcing library doing the same saves.

Each command is the realistic pattern: load the ticket, decide, save one event. Per ticket: receive, then
contact, site visit, coordination, resolution (1 + 4 commands). The raw baseline is a minimal Aggregate and
Application doing get → trigger → save with the same payloads as plain JSON values, on the same store, in
the same run. Each round runs both paths back to back, alternating which goes first. Printed: medians of
commands per second (wall clock) and of this process's CPU time per command, each with the median of the
rounds' ratios. The disk makes wall-clock figures noisy on a shared machine; CPU time shows the
application's own overhead more steadily.

    python bench/write_path.py [--tickets N] [--rounds R] [--stores sqlite,postgres] [--quick]
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
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from application.commands import (
    ReceiveTicket,
    RecordContact,
    RecordCoordination,
    RecordSiteVisit,
    ResolveTicket,
)
from application.handling import CaseHandling
from domain.values import (
    Actor,
    Caller,
    ContactChannel,
    IntakeChannel,
    Kind,
    Location,
    Outcome,
    Party,
    Role,
    Urgency,
)
from infrastructure.stores import store_for

POSTGRES_URL = os.environ.get("HOTLINE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
CST = timezone(timedelta(hours=8))
WORKER = Actor("mabin", Role.WORKER, "明星社区居委会")
CENTRE = Actor("centre-1", Role.INTAKE, "济南12345")
COMMANDS_PER_TICKET = 5


class RawTicket(Aggregate):
    """The baseline: no rules, the same payloads as plain JSON values."""

    class Received(Aggregate.Created):
        occurred_at: datetime
        actor: dict[str, str]
        data: dict[str, Any]

    class Happened(Aggregate.Event):
        occurred_at: datetime
        actor: dict[str, str]
        data: dict[str, Any]

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, RawTicket)
            aggregate.events += 1

    def __init__(self, occurred_at: datetime, actor: dict[str, str], data: dict[str, Any]) -> None:
        self.events = 1

    def happen(self, occurred_at: datetime, actor: dict[str, str], data: dict[str, Any]) -> None:
        self.trigger_event(RawTicket.Happened, occurred_at=occurred_at, actor=actor, data=data)


class RawTickets(Application[UUID]):
    def receive(self, data: dict[str, Any], at: datetime) -> UUID:
        ticket = RawTicket._create(
            RawTicket.Received, id=uuid.uuid4(), occurred_at=at, actor=ACTOR_DICT[0], data=data
        )
        self.save(ticket)
        return ticket.id

    def record(self, ticket_id: UUID, data: dict[str, Any], at: datetime) -> None:
        ticket: RawTicket = self.repository.get(ticket_id)
        ticket.happen(at, ACTOR_DICT[1], data)
        self.save(ticket)


ACTOR_DICT = [
    {"id": a.id, "role": a.role.value, "unit": a.unit} for a in (CENTRE, WORKER)
]  # the raw path's actors


def intake(reference: str, at: datetime) -> ReceiveTicket:
    return ReceiveTicket(
        channel=IntakeChannel.HOTLINE, kind=Kind.HELP, category="housing.drainage", urgency=Urgency.NORMAL,
        summary="14号楼下水管道堵塞", description="明星北区14号楼下水管道堵塞。",
        location=Location("明星北区14号楼", "明星社区", building="14"), unit="明星社区居委会",
        caller=Caller("魏女士", "13812341234"), external_ref=reference, occurred_at=at,
    )  # fmt: skip


def run_application(app: CaseHandling, tickets: int) -> None:
    t0 = datetime(2024, 1, 10, 9, 0, tzinfo=CST)
    for n in range(tickets):
        ticket_id = app.receive(intake(f"JN-BENCH-{n}", t0), CENTRE).ticket.id
        app.contact(ticket_id, RecordContact(t0, ContactChannel.PHONE, True, "已联系来电人"), WORKER)
        app.visit_site(ticket_id, RecordSiteVisit(t0, "现场积水30厘米", ("p/1.jpg",)), WORKER)
        party = Party("城肥一处", "sewer")
        app.coordinate(ticket_id, RecordCoordination(t0, party, "疏通管道", "下午到场"), WORKER)
        app.resolve(ticket_id, ResolveTicket(t0, Outcome.SOLVED, "已疏通"), WORKER)


def run_raw(app: RawTickets, tickets: int) -> None:
    t0 = datetime(2024, 1, 10, 9, 0, tzinfo=CST)
    intake = {
        "external_ref": None, "channel": "hotline", "kind": "help", "category": "housing.drainage",
        "urgency": "normal", "summary": "14号楼下水管道堵塞", "description": "明星北区14号楼下水管道堵塞。",
        "location": {"address": "明星北区14号楼", "community": "明星社区", "building": "14"},
        "caller": {"name": "魏女士", "phone": "13812341234", "confidential": False}, "unit": "明星社区居委会",
        "deadlines": {"respond_by": "2024-01-11T09:00:00+08:00", "resolve_by": "2024-01-15T09:00:00+08:00"},
    }  # fmt: skip
    steps: list[dict[str, Any]] = [
        {"channel": "phone", "reached": True, "note": "已联系来电人"},
        {"findings": "现场积水30厘米", "photos": ["p/1.jpg"]},
        {"party": {"name": "城肥一处", "code": "sewer"}, "request": "疏通管道", "reply": "下午到场"},
        {"outcome": "solved", "reply": "已疏通", "reason": None},
    ]
    for n in range(tickets):
        ticket_id = app.receive({**intake, "external_ref": f"JN-BENCH-{n}"}, t0)
        for step in steps:
            app.record(ticket_id, step, t0)


@contextmanager
def fresh_env(kind: str) -> Iterator[dict[str, str]]:
    """A new empty store: a temp SQLite file or a new PostgreSQL schema, removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="hotline-bench-") as directory:
            yield store_for(f"sqlite:///{Path(directory)}/bench.db").env
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield store_for(f"{POSTGRES_URL}?schema={schema}").env
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def timed(kind: str, tickets: int, which: str) -> tuple[float, float]:
    """Commands per second and CPU microseconds per command, of one round on a fresh store."""
    with fresh_env(kind) as env:
        app: Application[UUID] = RawTickets(env=env) if which == "raw" else CaseHandling(env=env)
        start, cpu = time.perf_counter(), time.process_time()
        if isinstance(app, RawTickets):
            run_raw(app, tickets)
        elif isinstance(app, CaseHandling):
            run_application(app, tickets)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        app.close()
    commands = tickets * COMMANDS_PER_TICKET
    return commands / elapsed, cpu / commands * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=200, help="tickets per round (5 commands each)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per path and store; medians are quoted")
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--quick", action="store_true", help="40 tickets, 3 rounds")
    args = parser.parse_args()
    tickets, rounds = (40, 3) if args.quick else (args.tickets, args.rounds)
    print(
        f"write path: {tickets} tickets x {COMMANDS_PER_TICKET} commands per round, {rounds} rounds, medians"
    )
    columns = (
        ("raw cmd/s", 11),
        ("app cmd/s", 11),
        ("ratio", 7),
        ("overhead", 10),
        ("raw CPU", 10),
        ("app CPU", 10),
        ("CPU +", 8),
    )
    print(f"{'store':<9}" + "".join(f"{name:>{width}}" for name, width in columns))
    for kind in args.stores.split(","):
        rates: dict[str, list[float]] = {"raw": [], "app": []}
        cpus: dict[str, list[float]] = {"raw": [], "app": []}
        for round_ in range(rounds):
            for which in ("raw", "app") if round_ % 2 == 0 else ("app", "raw"):
                rate, cpu = timed(kind, tickets, which)
                rates[which].append(rate)
                cpus[which].append(cpu)
        print(
            f"{kind:<9}{statistics.median(rates['raw']):>11,.0f}{statistics.median(rates['app']):>11,.0f}"
            f"{paired(rates['app'], rates['raw']):>7.2f}{paired(rates['raw'], rates['app']) - 1:>+10.1%}"
            f"{statistics.median(cpus['raw']):>8.0f}µs{statistics.median(cpus['app']):>8.0f}µs"
            f"{paired(cpus['app'], cpus['raw']) - 1:>+8.1%}"
        )
    print("ratio: app/raw throughput; overhead: how much longer the application takes per command;")
    print("CPU +: the application's extra CPU time (this process) per command; all medians of the rounds")


def paired(ours: list[float], baseline: list[float]) -> float:
    return statistics.median(a / b for a, b in zip(ours, baseline, strict=True))


if __name__ == "__main__":
    main()
