"""Random legal histories: steps tried against the application; the rules reject the illegal ones."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from hypothesis import strategies as st

from application.handling import CaseHandling, Recorded
from domain.errors import TicketError
from domain.values import Satisfaction, Urgency
from tests.builders import (
    CENTRE,
    WORKER,
    FakeClock,
    coordination,
    feedback,
    hotline_ticket,
    not_reached,
    praise,
    proactive_ticket,
    reached,
    site_visit,
    solved,
)

UNITS = ("明星社区居委会", "玉函路社区")


@dataclass(frozen=True)
class Step:
    action: str
    ticket: int  # index into the tickets received so far
    hours: int  # how far the clock moves first
    option: int  # a caller or not, reached or not, which rating, which unit


ACTIONS = ("receive", "contact", "visit", "coordinate", "resolve", "feedback", "praise")
steps = st.lists(
    st.builds(
        Step,
        st.sampled_from(ACTIONS),
        st.integers(0, 5),
        st.integers(0, 30),
        st.integers(0, 3),
    ),
    max_size=40,
)
RATINGS = (None, Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.UNSATISFIED)


def play(app: CaseHandling, clock: FakeClock, history: list[Step]) -> list[UUID]:
    """Try each step; return the tickets received. Rejected steps record nothing."""
    tickets: list[UUID] = []
    for step in history:
        now = clock.advance(hours=step.hours)
        if step.action == "receive" or not tickets:
            tickets.append(_receive(app, step).ticket.id)
            continue
        ticket_id = tickets[step.ticket % len(tickets)]
        with contextlib.suppress(TicketError):
            _act(app, ticket_id, step, now)
    return tickets


def _receive(app: CaseHandling, step: Step) -> Recorded:
    unit = UNITS[step.option % 2]
    urgency = Urgency.URGENT if step.ticket % 3 == 0 else Urgency.NORMAL
    make = proactive_ticket if step.option == 3 else hotline_ticket
    return app.receive(make(unit=unit, urgency=urgency, occurred_at=None), CENTRE)


def _act(app: CaseHandling, ticket_id: UUID, step: Step, now: datetime) -> None:
    match step.action:
        case "contact":
            app.contact(ticket_id, reached(now) if step.option % 2 else not_reached(now), WORKER)
        case "visit":
            app.visit_site(ticket_id, site_visit(now), WORKER)
        case "coordinate":
            app.coordinate(ticket_id, coordination(now), WORKER)
        case "resolve":
            app.resolve(ticket_id, solved(now), WORKER)
        case "feedback":
            app.give_feedback(ticket_id, feedback(now, RATINGS[step.option]), CENTRE)
        case "praise":
            app.praise(ticket_id, praise(now), CENTRE)
