"""The audit command line's fixtures: a SQLite store named by HOTLINE_DATABASE_URL, a handled case, a key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from uuid import UUID

import pytest

from api.cli import main
from domain.values import Satisfaction
from infrastructure.stores import store_for
from infrastructure.wiring import open_case_handling
from tests.builders import CENTRE, WORKER, FakeClock, feedback, hotline_ticket, praise, reached, solved


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/hotline.db"
    monkeypatch.setenv("HOTLINE_DATABASE_URL", url)
    return url


@pytest.fixture
def handled_case(database: str) -> UUID:
    """A drain case from the seed: reached, solved, a satisfied caller, then praise."""
    clock = FakeClock()
    app = open_case_handling(store_for(database), clock=clock)
    ticket = app.receive(hotline_ticket(external_ref="JN-2024-0001"), CENTRE).ticket.id
    app.contact(ticket, replace(reached(clock.advance(hours=1)), note="已联系魏女士"), WORKER)
    app.resolve(ticket, solved(clock.advance(hours=5)), WORKER)
    app.give_feedback(ticket, feedback(clock.advance(days=1), Satisfaction.SATISFIED), CENTRE)
    app.praise(ticket, praise(clock.advance(hours=2)), CENTRE)
    app.receive(hotline_ticket(unit="另一个社区", occurred_at=clock.now), CENTRE)
    app.close()
    return ticket


@pytest.fixture
def key(tmp_path: Path) -> Path:
    assert main(["audit", "keygen", "--out", str(tmp_path / "auditor.key")]) == 0
    return tmp_path / "auditor.key"
