"""The in-memory store (for fast unit tests): the library's, with idempotency claims kept beside its events
and marked recorded under the same lock that records a fenced write's events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory

from application.idempotency import CLAIM_LEASE, Claim, Fence, FenceLostError, RecordedWrite, Reply


class FencedPOPOApplicationRecorder(POPOApplicationRecorder):
    """The in-memory event store, with its idempotency claims beside the events (for unit tests): a fenced
    write's claim is marked under the same lock that records its events."""

    def __init__(self) -> None:
        super().__init__()
        self.claims: dict[tuple[str, str], _MemoryClaim] = {}

    def _insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        fence: Fence | None = kwargs.get("fence")
        with self._database_lock:  # re-entrant: the library's insert takes it again
            claim = None if fence is None else self._unrecorded_claim(fence)
            positions = super()._insert_events(stored_events, **kwargs)
            if claim is not None and positions:
                claim.recorded = RecordedWrite(UUID(str(stored_events[0].originator_id)), positions[-1])
            return positions

    def _unrecorded_claim(self, fence: Fence) -> _MemoryClaim:
        claim = self.claims.get((fence.scope, fence.key))
        if claim is None or claim.token != fence.token or claim.recorded is not None:
            raise FenceLostError(fence)
        return claim


class _MemoryClaim:
    def __init__(self, fingerprint: str, token: str, at: datetime) -> None:
        self.fingerprint, self.token, self.at = fingerprint, token, at
        self.reply: Reply | None = None
        self.recorded: RecordedWrite | None = None

    def seen(self, now: datetime) -> Claim:
        return Claim(self.fingerprint, self.reply, self.recorded, now - self.at >= CLAIM_LEASE)


class MemoryIdempotencyStore:
    """The claims the in-memory event store keeps beside its events."""

    def __init__(self, recorder: FencedPOPOApplicationRecorder) -> None:
        self.recorder = recorder

    def claim(self, scope: str, key: str, fingerprint: str, token: str, now: datetime) -> Claim | None:
        with self.recorder._database_lock:
            found = self.recorder.claims.get((scope, key))
            if found is not None:
                seen = found.seen(now)
                if seen.reply is not None or seen.recorded is not None or not seen.stale:
                    return seen
            self.recorder.claims[(scope, key)] = _MemoryClaim(fingerprint, token, now)
            return None

    def complete(self, scope: str, key: str, token: str, reply: Reply) -> None:
        with self.recorder._database_lock:
            found = self.recorder.claims.get((scope, key))
            if found is not None and found.token == token:
                found.reply = reply

    def release(self, scope: str, key: str, token: str) -> None:
        with self.recorder._database_lock:
            found = self.recorder.claims.get((scope, key))
            if found is not None and found.token == token and found.reply is None and found.recorded is None:
                del self.recorder.claims[(scope, key)]


class FencedPOPOFactory(POPOFactory):
    """PERSISTENCE_MODULE of the in-memory store."""

    def application_recorder(self) -> ApplicationRecorder:
        return FencedPOPOApplicationRecorder()
