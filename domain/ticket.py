"""The ticket (工单): an event-sourced aggregate whose guards run before every event is triggered."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain import validation as check
from domain.deadlines import Deadlines
from domain.errors import LifecycleError, Rule
from domain.values import (
    Actor,
    Caller,
    ContactChannel,
    IntakeChannel,
    Kind,
    Location,
    Outcome,
    Party,
    PraiseChannel,
    Satisfaction,
    Status,
    Urgency,
)

HANDLING = (Status.RECEIVED, Status.IN_PROGRESS)
EXTERNAL_REF_NAMESPACE = uuid5(NAMESPACE_URL, "urn:hotline:12345:external-ref")


class Ticket(Aggregate):
    """One case, from the 12345 centre's work order (or a worker's patrol) to its outcome."""

    class Event(Aggregate.Event):
        occurred_at: datetime
        actor: Actor

        @property
        def recorded_at(self) -> datetime:
            return self.timestamp

    class Received(Event, Aggregate.Created):
        external_ref: str | None
        channel: IntakeChannel
        kind: Kind
        category: str
        urgency: Urgency
        summary: str
        description: str
        location: Location
        caller: Caller | None
        unit: str
        deadlines: Deadlines

    class Contacted(Event):
        channel: ContactChannel
        reached: bool
        note: str | None

        def apply(self, ticket: Ticket) -> None:
            if ticket.status is not Status.RESOLVED:
                ticket.status = Status.IN_PROGRESS
            if self.reached:  # the first response is the earliest, however late it was recorded
                ticket.responded_at = _earliest(ticket.responded_at, self.occurred_at)
                if ticket.reworked_at is None or self.occurred_at >= ticket.reworked_at:
                    ticket.answered_at = _earliest(ticket.answered_at, self.occurred_at)

    class SiteVisited(Event):
        findings: str
        photos: list[str]

        def apply(self, ticket: Ticket) -> None:
            ticket.status = Status.IN_PROGRESS
            if ticket.caller is None:
                ticket.answered_at = _earliest(ticket.answered_at, self.occurred_at)

    class Coordinated(Event):
        party: Party
        request: str
        reply: str | None

        def apply(self, ticket: Ticket) -> None:
            ticket.status = Status.IN_PROGRESS
            if ticket.caller is None:
                ticket.answered_at = _earliest(ticket.answered_at, self.occurred_at)

    class Resolved(Event):
        outcome: Outcome
        reply: str
        reason: str | None

        def apply(self, ticket: Ticket) -> None:
            ticket.outcome = self.outcome
            ticket.resolved_at = self.occurred_at
            if ticket.caller is None:
                ticket.status = Status.CLOSED
                ticket.closed_at = self.occurred_at
            else:
                ticket.status = Status.RESOLVED

    class FeedbackGiven(Event):
        caller_reached: bool
        contact_confirmed: bool | None
        solved: bool | None
        satisfaction: Satisfaction | None
        comment: str | None

        def apply(self, ticket: Ticket) -> None:
            if self.satisfaction is None:
                return  # caller not reached: recorded, nothing changes
            ticket.satisfaction = self.satisfaction
            if self.satisfaction.closes_the_ticket:
                ticket.status = Status.CLOSED
                ticket.closed_at = self.occurred_at
            else:  # rework (重办): back into handling, and a fresh response is owed
                ticket.status = Status.IN_PROGRESS
                ticket.rework_count += 1
                ticket.reworked_at, ticket.answered_at = self.occurred_at, None

    class Praised(Event):
        channel: PraiseChannel
        by: str | None
        message: str

        def apply(self, ticket: Ticket) -> None:
            ticket.praise_count += 1

    def __init__(
        self,
        *,
        external_ref: str | None,
        channel: IntakeChannel,
        kind: Kind,
        category: str,
        urgency: Urgency,
        summary: str,
        description: str,
        location: Location,
        caller: Caller | None,
        unit: str,
        deadlines: Deadlines,
        occurred_at: datetime,
        actor: Actor,
    ) -> None:
        self.external_ref = external_ref
        self.channel = channel
        self.kind = kind
        self.category = category
        self.urgency = urgency
        self.summary = summary
        self.description = description
        self.location = location
        self.caller = caller
        self.unit = unit
        self.deadlines = deadlines
        self.received_at = occurred_at
        self.received_by = actor
        self.status = Status.RECEIVED
        self.responded_at: datetime | None = None
        self.resolved_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.outcome: Outcome | None = None
        self.satisfaction: Satisfaction | None = None
        self.rework_count = 0
        self.praise_count = 0
        # What the next outcome rests on (rule 3), in business time: the earliest reached contact since the
        # last rework (a ticket with a caller), or site visit or coordination (a ticket without one).
        self.answered_at: datetime | None = None
        self.reworked_at: datetime | None = None

    # -- intake -------------------------------------------------------------------------------

    @classmethod
    def receive(
        cls,
        *,
        ticket_id: UUID,
        external_ref: str | None,
        channel: IntakeChannel,
        kind: Kind,
        category: str,
        urgency: Urgency,
        summary: str,
        description: str,
        location: Location,
        caller: Caller | None,
        unit: str,
        deadlines: Deadlines,
        occurred_at: datetime,
        actor: Actor,
        recorded_at: datetime,
    ) -> Ticket:
        """受理: open a ticket. Its deadlines were computed by the caller of this method."""
        check.require_external_ref(external_ref)
        check.require_member("channel", channel, IntakeChannel)
        check.require_member("kind", kind, Kind)
        check.require_category(category)
        check.require_member("urgency", urgency, Urgency)
        check.require_text("summary", summary, check.SHORT_TEXT)
        check.require_text("description", description)
        check.require_location(location)
        check.require_text("unit", unit, check.SHORT_TEXT)
        check.check_caller_matches_channel(channel, caller)
        check.check_clock(occurred_at, recorded_at)
        return cls._create(
            cls.Received,
            id=ticket_id,
            timestamp=recorded_at,
            external_ref=external_ref,
            channel=channel,
            kind=kind,
            category=category,
            urgency=urgency,
            summary=summary,
            description=description,
            location=location,
            caller=caller,
            unit=unit,
            deadlines=deadlines,
            occurred_at=occurred_at,
            actor=actor,
        )

    @staticmethod
    def id_for_external_ref(external_ref: str) -> UUID:
        """The 12345 centre's order number names exactly one ticket, even when two requests race."""
        return uuid5(EXTERNAL_REF_NAMESPACE, external_ref)

    def is_the_same_order_as(self, other: Ticket) -> bool:
        """Two receipts under one external reference are one order sent twice (its text maybe corrected)
        only for the same caller, channel and unit; otherwise the reference is taken (REFERENCE_TAKEN)."""
        return (self.caller, self.channel, self.unit) == (other.caller, other.channel, other.unit)

    # -- handling -----------------------------------------------------------------------------

    def contact(
        self,
        *,
        channel: ContactChannel,
        reached: bool,
        note: str | None,
        occurred_at: datetime,
        actor: Actor,
        recorded_at: datetime,
    ) -> None:
        """联系诉求人: try to reach the caller; a follow-up contact is welcome after resolution."""
        check.require_member("channel", channel, ContactChannel)
        check.require_flag("reached", reached)
        check.optional_text("note", note)
        self._check_times(occurred_at, recorded_at)
        self._check_not_closed()
        self._check_has_caller()
        if self.status not in (*HANDLING, Status.RESOLVED):
            raise LifecycleError(Rule.NOT_IN_HANDLING)
        self._trigger(
            Ticket.Contacted, occurred_at, actor, recorded_at,
            channel=channel, reached=reached, note=note,
        )  # fmt: skip

    def visit_site(
        self,
        *,
        findings: str,
        photos: Iterable[str],
        occurred_at: datetime,
        actor: Actor,
        recorded_at: datetime,
    ) -> None:
        """现场核查: record what was found on site."""
        check.require_text("findings", findings)
        photo_refs = list(photos)
        for index, photo in enumerate(photo_refs):
            check.require_text(f"photos[{index}]", photo, check.SHORT_TEXT)
        self._check_handling(occurred_at, recorded_at)
        self._trigger(
            Ticket.SiteVisited, occurred_at, actor, recorded_at,
            findings=findings, photos=photo_refs,
        )  # fmt: skip

    def coordinate(
        self,
        *,
        party: Party,
        request: str,
        reply: str | None,
        occurred_at: datetime,
        actor: Actor,
        recorded_at: datetime,
    ) -> None:
        """协调: ask another body (物业, 城肥, 水务, 产权单位…) to act."""
        check.require_text("party", party.name, check.SHORT_TEXT)
        check.optional_text("party_code", party.code, check.SHORT_TEXT)
        check.require_text("request", request)
        check.optional_text("reply", reply)
        self._check_handling(occurred_at, recorded_at)
        self._trigger(
            Ticket.Coordinated, occurred_at, actor, recorded_at,
            party=party, request=request, reply=reply,
        )  # fmt: skip

    def resolve(
        self,
        *,
        outcome: Outcome,
        reply: str,
        reason: str | None,
        occurred_at: datetime,
        actor: Actor,
        recorded_at: datetime,
    ) -> None:
        """办结: record the outcome and the reply given to the caller. No outcome without a response."""
        check.check_resolution(outcome, reply, reason)
        self._check_handling(occurred_at, recorded_at)
        if self.answered_at is None:
            raise LifecycleError(Rule.RESPONSE_BEFORE_OUTCOME)
        if occurred_at < self.answered_at:
            response = "the caller was reached" if self.caller else "the site visit or coordination"
            raise LifecycleError(
                Rule.RESPONSE_BEFORE_OUTCOME,
                f"occurred_at {occurred_at.isoformat()} is before {response} at "
                f"{self.answered_at.isoformat()}: an outcome cannot come before its response.",
            )
        self._trigger(
            Ticket.Resolved, occurred_at, actor, recorded_at,
            outcome=outcome, reply=reply, reason=reason,
        )  # fmt: skip

    # -- the centre's follow-up ---------------------------------------------------------------

    def give_feedback(
        self,
        *,
        caller_reached: bool,
        contact_confirmed: bool | None,
        solved: bool | None,
        satisfaction: Satisfaction | None,
        comment: str | None,
        occurred_at: datetime,
        actor: Actor,
        recorded_at: datetime,
    ) -> None:
        """回访: the centre calls the caller back; unsatisfied sends the case back into handling."""
        check.check_feedback_fields(caller_reached, contact_confirmed, solved, satisfaction)
        check.optional_text("comment", comment)
        self._check_times(occurred_at, recorded_at)
        self._check_not_closed()
        self._check_has_caller()
        if self.status is not Status.RESOLVED:
            raise LifecycleError(Rule.FEEDBACK_NEEDS_RESOLUTION)
        if self.resolved_at is not None and occurred_at < self.resolved_at:
            raise LifecycleError(
                Rule.FEEDBACK_NEEDS_RESOLUTION,
                f"occurred_at {occurred_at.isoformat()} is before the ticket was resolved at "
                f"{self.resolved_at.isoformat()}.",
            )
        self._trigger(
            Ticket.FeedbackGiven, occurred_at, actor, recorded_at,
            caller_reached=caller_reached, contact_confirmed=contact_confirmed,
            solved=solved, satisfaction=satisfaction, comment=comment,
        )  # fmt: skip

    def praise(
        self,
        *,
        channel: PraiseChannel,
        by: str | None,
        message: str,
        occurred_at: datetime,
        actor: Actor,
        recorded_at: datetime,
    ) -> None:
        """表扬: a grateful caller (or resident) phones in, writes, or brings a banner."""
        check.require_member("channel", channel, PraiseChannel)
        check.require_text("message", message)
        check.optional_text("by", by, check.SHORT_TEXT)
        self._check_times(occurred_at, recorded_at)
        if self.status is Status.RECEIVED:
            raise LifecycleError(Rule.PRAISE_BEFORE_HANDLING)
        self._trigger(
            Ticket.Praised, occurred_at, actor, recorded_at,
            channel=channel, by=by, message=message,
        )  # fmt: skip

    # -- guards -------------------------------------------------------------------------------

    def _check_handling(self, occurred_at: datetime, recorded_at: datetime) -> None:
        self._check_times(occurred_at, recorded_at)
        self._check_not_closed()
        if self.status not in HANDLING:
            raise LifecycleError(Rule.NOT_IN_HANDLING)

    def _check_not_closed(self) -> None:
        if self.status is Status.CLOSED:
            raise LifecycleError(Rule.TICKET_CLOSED)

    def _check_has_caller(self) -> None:
        if self.caller is None:
            raise LifecycleError(Rule.CALLER_REQUIRED)

    def _check_times(self, occurred_at: datetime, recorded_at: datetime) -> None:
        check.check_clock(occurred_at, recorded_at)
        if occurred_at < self.received_at:
            raise LifecycleError(
                Rule.BEFORE_RECEIPT,
                f"occurred_at {occurred_at.isoformat()} is before the ticket was received "
                f"at {self.received_at.isoformat()}.",
            )

    def _trigger(
        self,
        event_class: type[Ticket.Event],
        occurred_at: datetime,
        actor: Actor,
        recorded_at: datetime,
        **fields: Any,
    ) -> None:
        self.trigger_event(event_class, timestamp=recorded_at, occurred_at=occurred_at, actor=actor, **fields)


def _earliest(known: datetime | None, at: datetime) -> datetime:
    return at if known is None or at < known else known
