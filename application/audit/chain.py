"""The hash chain that binds every stored event to all the events recorded before it.

Each link is SHA-256 over the previous link's hash, a header naming the event (its position in the
notification log, ticket, version, type and payload length) and the payload's digest: SHA-256 over a
random salt kept in the link row, then the stored payload bytes (which carry the business time, the
recorded time, the actor and the caller). Binding the payload through its digest lets an export omit the
payload (personal data) and still verify; the salt stops anyone guessing the masked name and phone by
hashing candidates against that digest. The first link follows 32 zero bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import sha256
from secrets import token_bytes
from typing import Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.persistence import StoredEvent

GENESIS = bytes(32)
SALT_BYTES = 16


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """One stored event as the database holds it."""

    position: int  # the notification id: its place in commit order
    originator_id: str  # the ticket id as 32 lowercase hex digits
    originator_version: int
    topic: str
    state: bytes


@dataclass(frozen=True, slots=True)
class Link:
    """A row of the chain table: the event at `position`, its payload's salt, its hash, the hash before."""

    position: int
    prev: bytes
    hash: bytes
    salt: bytes


def payload_digest(salt: bytes, payload: bytes) -> bytes:
    """SHA-256(salt || payload): what a link binds in place of the payload itself."""
    return sha256(salt + payload).digest()


def link_hash(prev: bytes, record: StoredRecord, salt: bytes) -> bytes:
    """SHA-256(prev || header || payload digest) for `record` after a link whose hash is `prev`."""
    header = (
        f"{record.position}\n{record.originator_id}\n{record.originator_version}\n"
        f"{record.topic}\n{len(record.state)}\n"
    )
    return sha256(prev + header.encode() + payload_digest(salt, record.state)).digest()


def chain_links(prev: bytes, records: Sequence[StoredRecord]) -> list[Link]:
    """The links for records appended, in order, after a link whose hash is `prev`; each salt is fresh."""
    links = []
    for record in records:
        salt = token_bytes(SALT_BYTES)
        current = link_hash(prev, record, salt)
        links.append(Link(record.position, prev, current, salt))
        prev = current
    return links


def record_of(position: int, stored: StoredEvent) -> StoredRecord:
    """The record of an event being appended at `position`."""
    return StoredRecord(
        position, id_text(stored.originator_id), stored.originator_version, stored.topic, stored.state
    )


def id_text(originator_id: UUID | str) -> str:
    """The ticket id as the chain spells it, whichever way a store returns it."""
    return originator_id.hex if isinstance(originator_id, UUID) else UUID(originator_id).hex


@dataclass(frozen=True)
class Batch:
    """Records after a position, and every link in the span they cover (to the end when `last`)."""

    records: Sequence[StoredRecord]
    links: Sequence[Link]
    last: bool


@runtime_checkable
class ChainSource(Protocol):
    """A store that keeps the chain: read in position order, one consistent snapshot per batch."""

    def chain_batch(self, after: int, limit: int) -> Batch: ...

    def chain_link(self, position: int) -> Link | None: ...

    def chain_head(self) -> Link | None: ...

    def chained_records(self, originator_id: UUID) -> list[tuple[StoredRecord, Link | None]]: ...
