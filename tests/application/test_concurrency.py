"""Writers racing on one ticket: no event is ever lost, a conflict that persists is visible, intake races."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from application.commands import RecordContact, RecordCoordination
from application.errors import ConcurrentUpdateError
from application.handling import MAX_ATTEMPTS, CaseHandling, Recorded
from domain.errors import LifecycleError, Rule
from domain.values import ContactChannel, Party
from infrastructure.stores import Store
from infrastructure.wiring import open_case_handling
from tests.builders import CENTRE, T0, WORKER, coordination, hotline_ticket, reached, site_visit, solved

WRITERS = 4
COMMANDS_EACH = 6


class RivalClock:
    """A clock that lets a rival write to the ticket each time the command under test asks the time.

    The application asks the time after loading the ticket and before saving, so every rival write
    lands in between: exactly the race that optimistic concurrency must catch.
    """

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.rival: Callable[[], object] | None = None
        self.rivals_left = 0

    def __call__(self) -> datetime:
        rival = self.rival
        if rival is not None and self.rivals_left > 0:
            self.rival, self.rivals_left = None, self.rivals_left - 1  # the rival's own command asks too
            try:
                rival()
            finally:
                self.rival = rival
        return self.now


def test_writers_racing_on_one_ticket_never_lose_an_event(durable_store: Store) -> None:
    app = open_case_handling(durable_store, clock=lambda: T0 + timedelta(days=1))
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    start = threading.Barrier(WRITERS)

    def write(writer: int) -> list[str]:
        start.wait()
        accepted = []
        for n in range(COMMANDS_EACH):
            note = f"第{writer}号写入者的第{n}次联系"
            contact = RecordContact(T0 + timedelta(hours=1), ContactChannel.PHONE, True, note)
            try:
                app.contact(ticket_id, contact, WORKER)
            except ConcurrentUpdateError:
                continue  # visible to the caller, and nothing of it was stored
            accepted.append(note)
        return accepted

    with ThreadPoolExecutor(WRITERS) as pool:
        accepted = [note for notes in pool.map(write, range(WRITERS)) for note in notes]
    history = app.history(ticket_id)
    app.close()

    assert accepted
    assert [e.version for e in history] == list(range(1, len(history) + 1))
    assert sorted(str(e.data["note"]) for e in history[1:]) == sorted(accepted)


def test_a_conflict_that_persists_beyond_the_retries_is_an_error_and_records_nothing(store: Store) -> None:
    clock = RivalClock(T0 + timedelta(days=1))
    app = open_case_handling(store, clock=clock)
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    clock.rival = lambda: app.coordinate(ticket_id, coordination(T0 + timedelta(hours=1)), WORKER)
    clock.rivals_left = MAX_ATTEMPTS

    with pytest.raises(ConcurrentUpdateError) as error:
        app.contact(ticket_id, reached(T0 + timedelta(hours=2)), WORKER)

    history = app.history(ticket_id)
    app.close()
    assert error.value.attempts == MAX_ATTEMPTS
    assert [e.type for e in history] == ["received"] + ["coordinated"] * MAX_ATTEMPTS


def test_a_command_that_meets_a_conflict_is_decided_again_on_the_fresh_ticket(store: Store) -> None:
    clock = RivalClock(T0 + timedelta(days=1))
    app = open_case_handling(store, clock=clock)
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    app.contact(ticket_id, reached(T0 + timedelta(hours=1)), WORKER)
    clock.rival = lambda: app.resolve(ticket_id, solved(T0 + timedelta(hours=2)), WORKER)
    clock.rivals_left = 1

    with pytest.raises(LifecycleError) as refused:  # the visit was fine on the ticket it first loaded
        app.visit_site(ticket_id, site_visit(T0 + timedelta(hours=3)), WORKER)

    types = [e.type for e in app.history(ticket_id)]
    app.close()
    assert refused.value.rule is Rule.NOT_IN_HANDLING
    assert types == ["received", "contacted", "resolved"]


def test_a_command_retried_after_a_conflict_keeps_both_events(store: Store) -> None:
    clock = RivalClock(T0 + timedelta(days=1))
    app = open_case_handling(store, clock=clock)
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    clock.rival = lambda: app.contact(ticket_id, reached(T0 + timedelta(hours=1)), WORKER)
    clock.rivals_left = 1

    party = Party("城肥一处", "sewer")
    done = app.coordinate(ticket_id, RecordCoordination(T0 + timedelta(hours=2), party, "疏通"), WORKER)

    types = [e.type for e in app.history(ticket_id)]
    app.close()
    assert done.ticket.version == 3
    assert types == ["received", "contacted", "coordinated"]


def test_racing_intakes_with_one_external_reference_open_exactly_one_ticket(durable_store: Store) -> None:
    apps = [open_case_handling(durable_store) for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)

    def receive(app: CaseHandling) -> Recorded:
        start.wait()
        return app.receive(hotline_ticket(external_ref="JN12345-20230116-0088", occurred_at=None), CENTRE)

    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(pool.map(receive, apps))
    history = apps[0].history(results[0].ticket.id)
    for app in apps:
        app.close()

    assert sum(r.created for r in results) == 1
    assert len({r.ticket.id for r in results}) == 1
    assert len(history) == 1
