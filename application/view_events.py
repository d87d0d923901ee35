"""What the views read of each ticket event, decoded straight from the stored bytes.

The projections need a dozen of an event's fields; decoding the whole domain event (the caller, the
location, the actor, every time revived through the library's transcodings) was most of a rebuild.
msgspec reads the stored JSON into these slim types in C and skips every field they don't name.

The stored format is the library's JSONTranscoder's: a value of a registered type is written as
`{"_type_": name, "_data_": value}`, read here through `Stored[T]`. `ViewEventMapper` is a library
`Mapper`, so the ProjectionRunner, the log follower and a rebuild all hand the projections these events.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

import msgspec
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from domain.deadlines import Deadlines
from domain.ticket import Ticket
from domain.values import Kind, Outcome, Satisfaction, Urgency

T = TypeVar("T")


class Stored(msgspec.Struct, Generic[T], rename={"data": "_data_"}):
    """A value the library's transcoder wrapped as `{"_type_": ..., "_data_": ...}`."""

    data: T


class _Place(msgspec.Struct):
    community: str


class _Someone(msgspec.Struct):
    """A caller is there; who it is the views don't read (nor decode)."""


class ViewEvent(msgspec.Struct, kw_only=True):
    """A ticket event as the views see it; the id and version come from the stored event's columns."""

    domain_type: ClassVar[type[Ticket.Event]]
    stored_occurred_at: Stored[datetime] = msgspec.field(name="occurred_at")
    originator_id: UUID = msgspec.field(default=UUID(int=0))
    originator_version: int = 0

    @property
    def occurred_at(self) -> datetime:
        return self.stored_occurred_at.data


class Received(ViewEvent, kw_only=True):
    domain_type = Ticket.Received
    external_ref: str | None
    stored_kind: Stored[Kind] = msgspec.field(name="kind")
    category: str
    stored_urgency: Stored[Urgency] = msgspec.field(name="urgency")
    summary: str
    stored_location: Stored[_Place] = msgspec.field(name="location")
    caller: Stored[_Someone] | None
    unit: str
    stored_deadlines: Stored[Deadlines] = msgspec.field(name="deadlines")

    @property
    def kind(self) -> Kind:
        return self.stored_kind.data

    @property
    def urgency(self) -> Urgency:
        return self.stored_urgency.data

    @property
    def community(self) -> str:
        return self.stored_location.data.community

    @property
    def has_caller(self) -> bool:
        return self.caller is not None

    @property
    def deadlines(self) -> Deadlines:
        return self.stored_deadlines.data


class Contacted(ViewEvent, kw_only=True):
    domain_type = Ticket.Contacted
    reached: bool


class SiteVisited(ViewEvent, kw_only=True):
    domain_type = Ticket.SiteVisited


class Coordinated(ViewEvent, kw_only=True):
    domain_type = Ticket.Coordinated


class Resolved(ViewEvent, kw_only=True):
    domain_type = Ticket.Resolved
    stored_outcome: Stored[Outcome] = msgspec.field(name="outcome")

    @property
    def outcome(self) -> Outcome:
        return self.stored_outcome.data


class FeedbackGiven(ViewEvent, kw_only=True):
    domain_type = Ticket.FeedbackGiven
    caller_reached: bool
    contact_confirmed: bool | None
    solved: bool | None
    stored_satisfaction: Stored[Satisfaction] | None = msgspec.field(name="satisfaction")

    @property
    def satisfaction(self) -> Satisfaction | None:
        return None if self.stored_satisfaction is None else self.stored_satisfaction.data


class Praised(ViewEvent, kw_only=True):
    domain_type = Ticket.Praised


VIEW_EVENTS: tuple[type[ViewEvent], ...] = (
    Received,
    Contacted,
    SiteVisited,
    Coordinated,
    Resolved,
    FeedbackGiven,
    Praised,
)


class ViewEventMapper(Mapper[UUID]):
    """Reads stored ticket events as `ViewEvent`s (other topics as the library's domain events)."""

    _decoders: ClassVar[dict[str, tuple[type[ViewEvent], msgspec.json.Decoder[Any]]]] = {
        get_topic(view.domain_type): (view, msgspec.json.Decoder(view)) for view in VIEW_EVENTS
    }

    @classmethod
    def like(cls, mapper: Mapper[UUID]) -> ViewEventMapper:
        """Reading what `mapper` wrote: the same transcoder, cipher and compressor."""
        return cls(transcoder=mapper.transcoder, compressor=mapper.compressor, cipher=mapper.cipher)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        found = self._decoders.get(stored_event.topic)
        if found is None:
            return super().to_domain_event(stored_event)
        view_type, decoder = found
        state = stored_event.state
        if self.cipher:
            state = self.cipher.decrypt(state)
        if self.compressor:
            state = self.compressor.decompress(state)
        try:
            event = decoder.decode(state)
        except msgspec.DecodeError:  # what only Python's json reads (e.g. NaN): the same types from it
            event = msgspec.convert(json.loads(state), view_type)
        event.originator_id = stored_event.originator_id
        event.originator_version = stored_event.originator_version
        return event
