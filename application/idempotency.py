"""Idempotent writes: a retried request with the same key gets the first reply, and nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

# A claim whose request never finished (the process died) may be taken over after this long.
CLAIM_LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class Reply:
    """What was answered the first time: enough to answer again, byte for byte."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class Claim:
    """Someone else's earlier use of the key: its request fingerprint and, once done, its reply."""

    fingerprint: str
    reply: Reply | None


class IdempotencyStore(Protocol):
    """Durable records of idempotency keys, one per (scope, key)."""

    def claim(self, scope: str, key: str, fingerprint: str, now: datetime) -> Claim | None:
        """Take the key (None) or return the earlier claim on it; a stale unfinished claim is taken over."""
        ...

    def complete(self, scope: str, key: str, reply: Reply) -> None: ...

    def release(self, scope: str, key: str) -> None: ...
