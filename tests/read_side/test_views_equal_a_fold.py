"""For any legal history, each view holds exactly what a straightforward fold of the same events gives: on
the in-memory views, and on the SQLite and PostgreSQL tables with their hand-written SQL."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from application.read_models import AuditFacts, AuditHeadline, AuditQuery, BoardFilter, Finding
from domain.values import Status
from infrastructure.projections.read_side import open_read_side
from infrastructure.stores import Store, store_for
from infrastructure.wiring import open_case_handling
from tests.builders import T0, FakeClock
from tests.conftest import POSTGRES_URL, postgres_store, require_postgres
from tests.read_side.expected import expected_audit_facts, expected_board_row, last_positions
from tests.read_side.histories import Step, play, steps

# A fresh store per example costs a file on SQLite and a schema on PostgreSQL: fewer examples there, each
# still a random history through the real tables (the profile's count, divided by this).
SHARE_OF_EXAMPLES = {"memory": 1, "sqlite": 2, "postgres": 4}


@contextmanager
def fresh_store(kind: str) -> Iterator[Store]:
    if kind == "memory":
        yield store_for("memory://")
    elif kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            yield store_for(f"sqlite:///{directory}/hotline.db")
    else:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield postgres_store(schema)
        finally:
            with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.mark.parametrize("kind", list(SHARE_OF_EXAMPLES))
def test_every_view_row_equals_the_fold_of_its_tickets_events(kind: str) -> None:
    if kind == "postgres":
        require_postgres()

    @settings(max_examples=max(10, settings().max_examples // SHARE_OF_EXAMPLES[kind]))
    @given(history=steps, batch_size=st.integers(1, 7), checked_after=st.integers(0, 40))
    def check(history: list[Step], batch_size: int, checked_after: int) -> None:
        with fresh_store(kind) as store:
            views_equal_the_fold(store, history, batch_size, checked_after)

    check()


def views_equal_the_fold(store: Store, history: list[Step], batch_size: int, checked_after: int) -> None:
    clock = FakeClock(T0)
    app = open_case_handling(store, clock=clock)
    read_side = open_read_side(store, app, follow=True)
    try:
        assert read_side.follower is not None
        read_side.follower.batch_size = batch_size
        read_side.catch_up()  # part of the history applied now, the rest later: batches cross tickets
        tickets = play(app, clock, history[:checked_after]) + play(app, clock, history[checked_after:])
        read_side.catch_up()

        positions = last_positions(app)
        board, audit = read_side.projections[0].view, read_side.projections[1].view
        assert board.rows_for(tickets) == {t: expected_board_row(app, t, positions[t]) for t in tickets}
        expected_facts = {t: expected_audit_facts(app, t, positions[t]) for t in tickets}
        assert audit.rows_for(tickets) == expected_facts
        assert read_side.board.count(BoardFilter(), now=clock.now) == len(tickets)
        later = clock.now + timedelta(days=3)
        headline = read_side.audit.headline(AuditQuery(), now=later)
        assert headline == expected_headline(expected_facts.values(), later)
    finally:
        read_side.close()
        app.close()


def expected_headline(facts: Iterable[AuditFacts], now: datetime) -> AuditHeadline:
    """DOMAIN.md's headline and findings counted by hand: not through the code the views use."""
    facts = list(facts)
    need = [f for f in facts if f.has_caller]
    responded = [f for f in need if f.first_response_at is not None]
    on_time = [
        f for f in responded if f.first_response_at is not None and f.first_response_at <= f.respond_by
    ]
    open_statuses = (Status.RECEIVED, Status.IN_PROGRESS)
    counts = {
        Finding.AWAITING_RESPONSE: len(need) - len(responded),
        Finding.LATE_RESPONSE: sum(f.first_response_at is not None and f.first_response_at > f.respond_by
                                   for f in facts),
        Finding.NO_OUTCOME_OVERDUE: sum(f.status in open_statuses and now > f.resolve_by for f in facts),
        Finding.AWAITING_FEEDBACK: sum(f.status is Status.RESOLVED for f in facts),
        Finding.REWORKED: sum(f.rework_count > 0 for f in facts),
    }  # fmt: skip
    return AuditHeadline(len(facts), len(need), len(responded), len(on_time), counts)
