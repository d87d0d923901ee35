"""Idempotent writes: a retried request with the same key gets the first reply, and nothing twice.

A key is claimed before its request runs, by a claimant with a token of its own. The write the request
makes carries a `Fence` (the key and that token), and the event store marks the claim recorded in the same
transaction as the events, refusing the write if the claim was taken over meanwhile or is recorded
already. So a key records at most once, whatever fails around it: the process dying after the commit, the
reply failing to be kept, a retry taking over a request that was only slow.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

# A claim whose request never finished may be taken over after this long, unless it recorded something.
CLAIM_LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class Reply:
    """What was answered the first time: enough to answer again, byte for byte."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class RecordedWrite:
    """What a claim's write recorded: the ticket, and the log position of its last event."""

    ticket_id: UUID
    position: int


@dataclass(frozen=True)
class Claim:
    """Someone else's earlier use of the key: its request fingerprint and, once done, its reply; what it
    recorded, once it did; and whether its lease ran out (its request died, or is stuck)."""

    fingerprint: str
    reply: Reply | None
    recorded: RecordedWrite | None = None
    stale: bool = False


@dataclass(frozen=True)
class Fence:
    """The claim a write must still hold, unrecorded, when its events are recorded."""

    scope: str
    key: str
    token: str


class FenceLostError(Exception):
    """The write's claim was taken over by a retry, or has recorded already: nothing was recorded."""

    def __init__(self, fence: Fence) -> None:
        super().__init__(f"the claim on Idempotency-Key {fence.key!r} is no longer this request's")


class IdempotencyStore(Protocol):
    """Durable records of idempotency keys, one per (scope, key), beside the events they fence."""

    def claim(self, scope: str, key: str, fingerprint: str, token: str, now: datetime) -> Claim | None:
        """Take the key for `token` (None) or return the earlier claim on it. A stale claim with neither a
        kept reply nor a recorded write is taken over."""
        ...

    def complete(self, scope: str, key: str, token: str, reply: Reply) -> None:
        """Keep the reply of the claim `token` holds (if it still holds it)."""
        ...

    def release(self, scope: str, key: str, token: str) -> None:
        """Give up the claim `token` holds, if it recorded nothing."""
        ...


_FENCE: ContextVar[Fence | None] = ContextVar("hotline_write_fence", default=None)


@contextmanager
def writing_under(fence: Fence) -> Iterator[None]:
    """Every save made meanwhile in this context (and in what it hands its context to) carries `fence`."""
    token = _FENCE.set(fence)
    try:
        yield
    finally:
        _FENCE.reset(token)


def current_fence() -> Fence | None:
    return _FENCE.get()
