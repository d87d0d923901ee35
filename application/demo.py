"""Loading scripted cases (the seed story's) into the application, idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.commands import (
    ReceiveTicket,
    RecordContact,
    RecordCoordination,
    RecordFeedback,
    RecordPraise,
    RecordSiteVisit,
    ResolveTicket,
)
from application.handling import CaseHandling
from domain.values import Actor

Command = RecordContact | RecordSiteVisit | RecordCoordination | ResolveTicket | RecordFeedback | RecordPraise


@dataclass(frozen=True)
class Step:
    actor: Actor
    command: Command


@dataclass(frozen=True)
class ScriptedTicket:
    """One ticket of a case: its intake (with a fixed external reference) and what happened next."""

    case: int
    title: str
    intake: ReceiveTicket
    received_by: Actor
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Loaded:
    script: ScriptedTicket
    ticket_id: UUID
    recorded: int  # events recorded by this run; 0 when the ticket was already complete


def at(text: str) -> datetime:
    """A business time written as ISO 8601 with its offset, e.g. 2023-11-08T09:12+08:00."""
    return datetime.fromisoformat(text)


def load(app: CaseHandling, scripts: tuple[ScriptedTicket, ...]) -> list[Loaded]:
    """Record every scripted ticket; a ticket already recorded only gets the steps it lacks."""
    return [_load_one(app, script) for script in scripts]


def _load_one(app: CaseHandling, script: ScriptedTicket) -> Loaded:
    received = app.receive(script.intake, script.received_by)
    ticket_id = received.ticket.id
    # The external reference names the ticket, and its version says how many steps it already has.
    missing = script.steps[received.ticket.version - 1 :]
    for step in missing:
        _record(app, ticket_id, step)
    return Loaded(script, ticket_id, int(received.created) + len(missing))


def _record(app: CaseHandling, ticket_id: UUID, step: Step) -> None:
    command, actor = step.command, step.actor
    match command:
        case RecordContact():
            app.contact(ticket_id, command, actor)
        case RecordSiteVisit():
            app.visit_site(ticket_id, command, actor)
        case RecordCoordination():
            app.coordinate(ticket_id, command, actor)
        case ResolveTicket():
            app.resolve(ticket_id, command, actor)
        case RecordFeedback():
            app.give_feedback(ticket_id, command, actor)
        case RecordPraise():
            app.praise(ticket_id, command, actor)
