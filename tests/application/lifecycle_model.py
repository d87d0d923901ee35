"""An independent model of one ticket, written from DOMAIN.md's rules, to check the real one against.

It shares nothing with the aggregate but the command records: statuses and rule codes are plain strings,
and each prediction lists every rule (and every field) the command breaks, so the real ticket may name
any one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from application.commands import (
    RecordContact,
    RecordCoordination,
    RecordFeedback,
    RecordPraise,
    RecordSiteVisit,
    ResolveTicket,
)

SLACK = timedelta(minutes=5)
SHORT, LONG = 200, 5000
Command = RecordContact | RecordSiteVisit | RecordCoordination | ResolveTicket | RecordFeedback | RecordPraise


@dataclass(frozen=True)
class Prediction:
    bad_fields: frozenset[str]
    broken_rules: frozenset[str]

    @property
    def accepted(self) -> bool:
        return not self.bad_fields and not self.broken_rules


def _text_ok(value: str | None, limit: int, required: bool) -> bool:
    if value is None:
        return not required
    return (not required or value.strip() != "") and len(value) <= limit and "\x00" not in value


@dataclass
class ModelTicket:
    has_caller: bool
    received_at: datetime
    status: str = "received"
    answers: list[datetime] = field(default_factory=list)  # responses the next outcome may rest on (rule 3)
    reworked_at: datetime | None = None
    responded_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str | None = None
    satisfaction: str | None = None
    rework_count: int = 0
    praise_count: int = 0
    events: int = 1
    history: list[tuple[object, ...]] = field(default_factory=list)

    def summary(self) -> tuple[object, ...]:
        """What the state comparison looks at, in TicketState's terms."""
        return (
            self.status, self.events, self.responded_at, self.resolved_at, self.closed_at,
            self.outcome, self.satisfaction, self.rework_count, self.praise_count,
        )  # fmt: skip

    # -- predictions --------------------------------------------------------------------------

    def predict(self, command: Command, now: datetime) -> Prediction:
        bad = set(self._bad_fields(command))
        if command.occurred_at.tzinfo is None:
            bad.add("occurred_at")
            return Prediction(frozenset(bad), frozenset())
        broken = set(self._broken_time_rules(command.occurred_at, now))
        broken |= self._broken_lifecycle_rules(command)
        return Prediction(frozenset(bad), frozenset(broken))

    def _broken_time_rules(self, at: datetime, now: datetime) -> set[str]:
        broken = set()
        if at > now + SLACK:
            broken.add("occurred_in_future")
        if at < self.received_at:
            broken.add("occurred_before_receipt")
        return broken

    def _broken_lifecycle_rules(self, command: Command) -> set[str]:
        broken = set()
        closed = self.status == "closed"
        if closed and not isinstance(command, RecordPraise):
            broken.add("ticket_closed")
        if isinstance(command, RecordContact | RecordFeedback) and not self.has_caller:
            broken.add("caller_required")
        handling = self.status in ("received", "in_progress")
        if isinstance(command, RecordSiteVisit | RecordCoordination | ResolveTicket) and not handling:
            broken.add("not_in_handling")
        # Rules 3 and 5 in business time too: an outcome after a response, feedback after the outcome.
        at = command.occurred_at
        if isinstance(command, ResolveTicket) and not any(answer <= at for answer in self.answers):
            broken.add("no_outcome_without_response")
        too_early = self.resolved_at is not None and at < self.resolved_at
        if isinstance(command, RecordFeedback) and (self.status != "resolved" or too_early):
            broken.add("feedback_needs_resolution")
        if isinstance(command, RecordPraise) and self.status == "received":
            broken.add("praise_before_handling")
        return broken

    def _bad_fields(self, command: Command) -> list[str]:
        checks: list[tuple[str, bool]]
        match command:
            case RecordContact():
                checks = [("note", _text_ok(command.note, LONG, False))]
            case RecordSiteVisit():
                checks = [("findings", _text_ok(command.findings, LONG, True))]
                checks += [(f"photos[{i}]", _text_ok(p, SHORT, True)) for i, p in enumerate(command.photos)]
            case RecordCoordination():
                checks = [
                    ("party", _text_ok(command.party.name, SHORT, True)),
                    ("party_code", _text_ok(command.party.code, SHORT, False)),
                    ("request", _text_ok(command.request, LONG, True)),
                    ("reply", _text_ok(command.reply, LONG, False)),
                ]
            case ResolveTicket():
                needs_reason = command.outcome.value in ("unresolvable", "referred")
                checks = [
                    ("reply", _text_ok(command.reply, LONG, True)),
                    ("reason", _text_ok(command.reason, LONG, needs_reason)),
                ]
            case RecordFeedback():
                checks = self._feedback_checks(command)
            case RecordPraise():
                checks = [
                    ("message", _text_ok(command.message, LONG, True)),
                    ("by", _text_ok(command.by, SHORT, False)),
                ]
        return [name for name, ok in checks if not ok]

    def _feedback_checks(self, command: RecordFeedback) -> list[tuple[str, bool]]:
        reached = command.caller_reached
        return [
            ("satisfaction", (command.satisfaction is not None) == reached),
            ("solved", reached or command.solved is None),
            ("contact_confirmed", reached or command.contact_confirmed is None),
            ("comment", _text_ok(command.comment, LONG, False)),
        ]

    # -- what an accepted command does --------------------------------------------------------

    def apply(self, command: Command) -> None:
        at = command.occurred_at
        self.events += 1
        match command:
            case RecordContact():
                if self.status != "resolved":
                    self.status = "in_progress"
                if command.reached:
                    self.responded_at = at if self.responded_at is None else min(self.responded_at, at)
                    if self.reworked_at is None or at >= self.reworked_at:
                        self.answers.append(at)  # a contact from before the rework answers nothing after it
            case RecordSiteVisit() | RecordCoordination():
                self.status = "in_progress"
                if not self.has_caller:
                    self.answers.append(at)
            case ResolveTicket():
                self.outcome, self.resolved_at = command.outcome.value, at
                self.status = "resolved" if self.has_caller else "closed"
                if not self.has_caller:
                    self.closed_at = at
            case RecordFeedback():
                self._apply_feedback(command)
            case RecordPraise():
                self.praise_count += 1
        self.history.append(self.summary())

    def _apply_feedback(self, command: RecordFeedback) -> None:
        if command.satisfaction is None:
            return
        self.satisfaction = command.satisfaction.value
        if self.satisfaction == "unsatisfied":
            self.status, self.answers, self.reworked_at = "in_progress", [], command.occurred_at
            self.rework_count += 1
        else:
            self.status, self.closed_at = "closed", command.occurred_at
