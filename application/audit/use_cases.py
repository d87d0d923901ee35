"""The auditor's use cases over the chain: verify, checkpoint the head, export cases."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from uuid import UUID

from application.audit.chain import ChainSource, Link, StoredRecord, payload_digest
from application.audit.checkpoints import Checkpoint
from application.audit.verification import VerifyResult, verify_chain
from application.handling import CaseHandling
from application.privacy import caller_name_in, masked_event_data
from application.views import EVENT_TYPES, HistoryEntry, data_in_zone, to_primitive
from domain.ticket import Ticket

RECEIVED_TOPIC = f"{Ticket.Received.__module__}:{Ticket.Received.__qualname__}"
TYPES_BY_TOPIC = {f"{cls.__module__}:{cls.__qualname__}": name for cls, name in EVENT_TYPES.items()}


class ChainUnavailableError(Exception):
    def __init__(self) -> None:
        super().__init__("this store keeps no hash chain (the in-memory store); use SQLite or PostgreSQL")


class EmptyChainError(Exception):
    def __init__(self) -> None:
        super().__init__("the store holds no events yet: there is no head to checkpoint")


def chain_of(app: CaseHandling) -> ChainSource:
    if not isinstance(app.recorder, ChainSource):
        raise ChainUnavailableError
    return app.recorder


def verify_store(
    app: CaseHandling, *, expect: Checkpoint | None = None, resume: Checkpoint | None = None
) -> VerifyResult:
    """Re-walk the whole store in position order; the first modified, deleted, inserted or moved event."""
    return verify_chain(chain_of(app), expect=expect, resume=resume)


def current_head(app: CaseHandling) -> Checkpoint:
    """The chain's head now, unsigned: the signature is added with a key the application never holds."""
    head = chain_of(app).chain_head()
    if head is None:
        raise EmptyChainError
    return Checkpoint(head.position, head.hash, app.clock())


@dataclass(frozen=True)
class ExportedEvent:
    """One event with its chain link: verifiable on its own, with or without the payload it binds."""

    record: StoredRecord
    link: Link | None
    entry: HistoryEntry
    caller_name: str | None = None  # as the case's intake gave it: masked in this event's texts too

    def to_json(self, *, zone: tzinfo, personal_data: bool = False) -> dict[str, object]:
        """The masked form by default: no payload, and the caller masked in the readable `event`, whose times
        are given in `zone` (the deployment's, as everywhere else).

        With `personal_data` the full form: the exact stored payload and its salt as well, so the
        payload's digest can be recomputed; it holds the caller's name and phone.
        """
        record, link = self.record, self.link
        line: dict[str, object] = {
            "position": record.position,
            "prev": link.prev.hex() if link else None,
            "hash": link.hash.hex() if link else None,
            "ticket_id": str(self.entry.ticket_id),
            "ticket_hex": record.originator_id,
            "version": record.originator_version,
            "topic": record.topic,
            "type": TYPES_BY_TOPIC.get(record.topic, record.topic),
            "payload_length": len(record.state),
            "payload_sha256": payload_digest(link.salt, record.state).hex() if link else None,
        }
        if personal_data:
            line["payload_salt"] = link.salt.hex() if link else None
            line["payload_b64"] = base64.b64encode(record.state).decode()
        data = self.entry.data if personal_data else masked_event_data(self.entry.data, self.caller_name)
        line["event"] = {
            "occurred_at": self.entry.occurred_at.astimezone(zone).isoformat(),
            "recorded_at": self.entry.recorded_at.astimezone(zone).isoformat(),
            "actor": to_primitive(self.entry.actor),
            "data": data_in_zone(data, zone),
        }
        return line


def export_case(app: CaseHandling, ticket_id: UUID) -> list[ExportedEvent]:
    """Every stored event of one case, oldest first, with its chain links."""
    rows = chain_of(app).chained_records(ticket_id)
    entries = app.history(ticket_id)
    caller_name = caller_name_in(entries[0].data)  # the intake's, always the first entry
    return [
        ExportedEvent(record, link, entry, caller_name)
        for (record, link), entry in zip(rows, entries, strict=True)
    ]


def cases_of_unit(app: CaseHandling, unit: str, start: datetime, end: datetime) -> Iterator[UUID]:
    """The tickets a unit received with a business time in [start, end), in the order they were recorded."""
    after = 0
    while True:
        page = app.recorder.select_notifications(
            after, 1000, topics=[RECEIVED_TOPIC], inclusive_of_start=False
        )
        for notification in page:
            event = app.mapper.to_domain_event(notification)
            if isinstance(event, Ticket.Received) and event.unit == unit and start <= event.occurred_at < end:
                yield event.originator_id
        if len(page) < 1000:
            return
        after = page[-1].id
