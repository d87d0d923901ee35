"""The case-handling application: one use case per command, get → decide → save, and the queries."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording, Transcoder
from eventsourcing.utils import EnvType

from application.catalog import CategoryCatalog
from application.commands import (
    ReceiveTicket,
    RecordContact,
    RecordCoordination,
    RecordFeedback,
    RecordPraise,
    RecordSiteVisit,
    ResolveTicket,
)
from application.errors import ConcurrentUpdateError, StaleVersionError, TicketNotFoundError
from application.idempotency import current_fence
from application.privacy import SEES_PERSONAL_DATA
from application.replay import fold
from application.stored_json import OrjsonDecodingTranscoder
from application.transcodings import register_domain_transcodings
from application.views import HistoryEntry, TicketState
from domain.deadlines import DeadlinePolicy
from domain.errors import LifecycleError, Rule
from domain.ticket import Ticket
from domain.values import Actor, Role

Clock = Callable[[], datetime]
Decision = Callable[[Ticket, datetime], None]
MAX_ATTEMPTS = 5
CALLER_NAMES_KEPT = 10_000  # a few MB at most


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Recorded:
    """A command's result: the ticket after it, and the log position of its event."""

    ticket: TicketState
    position: int | None  # None when nothing new was recorded
    created: bool = False


class CaseHandling(Application[UUID]):
    """Receives tickets and records their handling, keeping every lifecycle rule."""

    name = "hotline"

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        clock: Clock = utc_now,
        new_id: Callable[[], UUID] = uuid4,
        catalog: CategoryCatalog | None = None,
        policy: DeadlinePolicy | None = None,
    ) -> None:
        super().__init__(env)
        self.clock = clock
        self.new_id = new_id
        self.catalog = catalog or CategoryCatalog.load()
        self.policy = policy or self.catalog.deadline_policy()
        # Told after every save, in the saving thread: e.g. to wake a log follower in this process.
        self.on_saved: list[Callable[[], None]] = []
        # An intake is never rewritten, so the names it gave are kept: the feed asks again and again.
        self._caller_names: dict[UUID, str | None] = {}
        self._caller_names_lock = threading.Lock()

    def construct_transcoder(self) -> Transcoder:
        transcoder = OrjsonDecodingTranscoder()  # the library's format, read back faster
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_domain_transcodings(transcoder)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's save; a write made for an idempotent request carries its fence (see idempotency)."""
        fence = current_fence()
        if fence is not None:
            kwargs["fence"] = fence
        return super().save(*objs, **kwargs)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        for listener in self.on_saved:
            listener()

    # -- commands -----------------------------------------------------------------------------

    def receive(self, command: ReceiveTicket, actor: Actor) -> Recorded:
        """受理: open a ticket; the same external reference never opens a second one."""
        self.catalog.require(command.category)
        ref = command.external_ref
        ticket_id = self.new_id() if ref is None else Ticket.id_for_external_ref(ref)
        now = self.clock()
        occurred_at = command.occurred_at or now
        ticket = Ticket.receive(
            ticket_id=ticket_id,
            external_ref=command.external_ref,
            channel=command.channel,
            kind=command.kind,
            category=command.category,
            urgency=command.urgency,
            summary=command.summary,
            description=command.description,
            location=command.location,
            caller=command.caller,
            unit=command.unit,
            deadlines=self.policy.deadlines_for(command.kind, command.category, command.urgency, occurred_at),
            occurred_at=occurred_at,
            actor=actor,
            recorded_at=now,
        )
        try:
            recordings = self.save(ticket)
        except IntegrityError:
            # The reference names a ticket received before (or by a racing request): saving, rather
            # than looking first, spares every new ticket a read.
            return Recorded(self._received_again(ticket), position=None, created=False)
        return Recorded(TicketState.of(ticket), _position(recordings), created=True)

    def _received_again(self, ticket: Ticket) -> TicketState:
        """The ticket the reference names, when this is its order sent again (its text may have been
        corrected since: the first receipt stands, API.md). For another caller, unit or channel it is another
        order: answering with the first one would quietly drop this one, and let a worker's proactive ticket
        claim a 12345 order number before the centre sends that order."""
        existing = self._load(ticket.id)
        if not existing.is_the_same_order_as(ticket):
            raise LifecycleError(
                Rule.REFERENCE_TAKEN,
                f"external_ref {ticket.external_ref!r} already names a ticket of another caller, unit or "
                "channel: another order needs a reference of its own.",
            )
        return TicketState.of(existing)

    def contact(
        self,
        ticket_id: UUID,
        command: RecordContact,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Recorded:
        """联系诉求人: record an attempt to reach the caller."""
        return self._decide(ticket_id, expected_version, lambda ticket, now: ticket.contact(
            channel=command.channel, reached=command.reached, note=command.note,
            occurred_at=command.occurred_at, actor=actor, recorded_at=now,
        ))  # fmt: skip

    def visit_site(
        self,
        ticket_id: UUID,
        command: RecordSiteVisit,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Recorded:
        """现场核查: record a visit to the site and what was found."""
        return self._decide(ticket_id, expected_version, lambda ticket, now: ticket.visit_site(
            findings=command.findings, photos=command.photos,
            occurred_at=command.occurred_at, actor=actor, recorded_at=now,
        ))  # fmt: skip

    def coordinate(
        self,
        ticket_id: UUID,
        command: RecordCoordination,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Recorded:
        """协调: record a request to another body and its reply."""
        return self._decide(ticket_id, expected_version, lambda ticket, now: ticket.coordinate(
            party=command.party, request=command.request, reply=command.reply,
            occurred_at=command.occurred_at, actor=actor, recorded_at=now,
        ))  # fmt: skip

    def resolve(
        self,
        ticket_id: UUID,
        command: ResolveTicket,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Recorded:
        """办结: record the outcome and the reply given to the caller."""
        return self._decide(ticket_id, expected_version, lambda ticket, now: ticket.resolve(
            outcome=command.outcome, reply=command.reply, reason=command.reason,
            occurred_at=command.occurred_at, actor=actor, recorded_at=now,
        ))  # fmt: skip

    def give_feedback(
        self,
        ticket_id: UUID,
        command: RecordFeedback,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Recorded:
        """回访: record the centre's follow-up call and the caller's rating."""
        return self._decide(ticket_id, expected_version, lambda ticket, now: ticket.give_feedback(
            caller_reached=command.caller_reached, contact_confirmed=command.contact_confirmed,
            solved=command.solved, satisfaction=command.satisfaction, comment=command.comment,
            occurred_at=command.occurred_at, actor=actor, recorded_at=now,
        ))  # fmt: skip

    def praise(
        self,
        ticket_id: UUID,
        command: RecordPraise,
        actor: Actor,
        expected_version: int | None = None,
    ) -> Recorded:
        """表扬: record praise phoned in, written or brought in person."""
        return self._decide(ticket_id, expected_version, lambda ticket, now: ticket.praise(
            channel=command.channel, by=command.by, message=command.message,
            occurred_at=command.occurred_at, actor=actor, recorded_at=now,
        ))  # fmt: skip

    # -- queries ------------------------------------------------------------------------------

    def find(self, reference: str) -> UUID:
        """The id of the ticket named by its id or by the 12345 centre's external reference."""
        candidates = [Ticket.id_for_external_ref(reference)]
        with contextlib.suppress(ValueError):
            candidates.insert(0, UUID(reference))
        for ticket_id in candidates:
            if ticket_id in self.repository:
                return ticket_id
        raise TicketNotFoundError(reference)

    def ticket(
        self,
        ticket_id: UUID,
        *,
        version: int | None = None,
        as_of: datetime | None = None,
        known_at: datetime | None = None,
    ) -> TicketState:
        """The ticket now, after its N-th event, as of a business time, or as known at a recording time.
        TicketNotFoundError for a version it has not reached, or a time before it was received (recorded)."""
        if as_of is None and known_at is None:
            state = self._state(ticket_id, version)
        else:
            ticket = fold(
                event
                for event in self._events(ticket_id, version)
                if (as_of is None or event.occurred_at <= as_of)
                and (known_at is None or event.recorded_at <= known_at)
            )
            if ticket is None:
                happened = (
                    "received"
                    if known_at is None
                    else "recorded"
                    if as_of is None
                    else "received or recorded"
                )
                raise TicketNotFoundError(f"{ticket_id} (not yet {happened} at that time)")
            state = TicketState.of(ticket)
        if version is not None and state.version < version:
            raise TicketNotFoundError(f"{ticket_id} at version {version} (it is at version {state.version})")
        return state

    def history(self, ticket_id: UUID, *, version: int | None = None) -> list[HistoryEntry]:
        """Every event of the ticket, oldest first (up to its N-th when a version is given)."""
        return [HistoryEntry.of(event) for event in self._events(ticket_id, version)]

    def caller_names_to_mask(self, role: Role, ticket_ids: Iterable[UUID]) -> Mapping[UUID, str | None]:
        """The callers' names of these tickets, for masking them in their texts: none for a reader in a role
        that sees personal data, so nothing is read for them."""
        if role in SEES_PERSONAL_DATA:
            return {}
        return {ticket_id: self.caller_name(ticket_id) for ticket_id in ticket_ids}

    def caller_name(self, ticket_id: UUID) -> str | None:
        """The name the ticket's intake gave its caller (None without a caller), for masking it in the texts
        of the ticket's later events. Its first event alone is read, once per ticket while it is kept."""
        with self._caller_names_lock:
            if ticket_id in self._caller_names:
                return self._caller_names[ticket_id]
        received = self._events(ticket_id, version=1)[0]
        caller = received.caller if isinstance(received, Ticket.Received) else None
        name = None if caller is None else caller.name
        with self._caller_names_lock:
            if len(self._caller_names) >= CALLER_NAMES_KEPT:
                del self._caller_names[next(iter(self._caller_names))]  # the longest kept
            self._caller_names[ticket_id] = name
        return name

    # -- the decision loop --------------------------------------------------------------------

    def _decide(self, ticket_id: UUID, expected_version: int | None, decision: Decision) -> Recorded:
        """Get → decide → save; on a version conflict decide again on the fresh state."""
        for _ in range(MAX_ATTEMPTS):
            ticket = self._load(ticket_id)
            if expected_version is not None and ticket.version != expected_version:
                raise StaleVersionError(ticket_id, expected_version, ticket.version)
            decision(ticket, self.clock())
            try:
                recordings = self.save(ticket)
            except IntegrityError:
                continue
            return Recorded(TicketState.of(ticket), _position(recordings))
        raise ConcurrentUpdateError(ticket_id, MAX_ATTEMPTS)

    def _events(self, ticket_id: UUID, version: int | None) -> list[Ticket.Event]:
        events = [e for e in self.events.get(ticket_id, lte=version) if isinstance(e, Ticket.Event)]
        if not events:
            raise TicketNotFoundError(str(ticket_id))
        return events

    def _load(self, ticket_id: UUID, version: int | None = None) -> Ticket:
        try:
            ticket: Any = self.repository.get(ticket_id, version=version)
        except AggregateNotFoundError:
            raise TicketNotFoundError(str(ticket_id)) from None
        if not isinstance(ticket, Ticket):
            raise TicketNotFoundError(str(ticket_id))
        return ticket

    def _state(self, ticket_id: UUID, version: int | None = None) -> TicketState:
        return TicketState.of(self._load(ticket_id, version))


def _position(recordings: list[Recording[UUID]]) -> int | None:
    positions = [r.notification.id for r in recordings if r.notification.id is not None]
    return max(positions, default=None)
