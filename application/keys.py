"""API keys: who may call the hotline, in which role, for which units; stored only as hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.values import Role

KEY_PREFIX = "hk_"


@dataclass(frozen=True)
class ApiKey:
    """A key's public record: never the secret, only what it allows."""

    id: str
    name: str
    role: Role
    units: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class KeyStore(Protocol):
    """Where keys are kept, each under the SHA-256 digest of its secret."""

    def add(self, key: ApiKey, digest: str) -> None: ...

    def by_digest(self, digest: str) -> tuple[ApiKey, str] | None: ...

    def all(self) -> list[ApiKey]: ...

    def revoke(self, key_id: str, at: datetime) -> bool: ...


def digest_of(secret: str) -> str:
    """The SHA-256 of a secret: enough for a 256-bit random key, which no one can guess or brute-force."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class KeyNameError(ValueError):
    """A key's name must pick out one active key: it is recorded as the actor of every event it makes."""


class KeyRing:
    """Issues, recognises and revokes keys; a recognised key is remembered for a few seconds."""

    def __init__(self, store: KeyStore, remember_for: float = 5.0) -> None:
        self.store = store
        # Saves a database read per request; a key revoked by another process stops working within this.
        self.remember_for = remember_for
        self._recent: dict[str, tuple[ApiKey, float]] = {}

    def issue(self, role: Role, units: tuple[str, ...], name: str, now: datetime) -> tuple[ApiKey, str]:
        """A new key and its secret; the secret is returned once and never stored."""
        if name and any(key.active and key.name == name for key in self.store.all()):
            raise KeyNameError(
                f"an active key is already named {name!r}: pick another name, or revoke it first"
            )
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        key_id = secrets.token_hex(6)
        key = ApiKey(id=key_id, name=name or f"{role.value}-{key_id}", role=role, units=units, created_at=now)
        self.store.add(key, digest_of(secret))
        return key, secret

    def recently_recognised(self, secret: str) -> ApiKey | None:
        """The key with this secret if it was recognised a moment ago: no I/O."""
        found = self._recent.get(digest_of(secret))
        if found is None or found[1] < time.monotonic():
            return None
        return found[0]

    def recognise(self, secret: str) -> ApiKey | None:
        """The active key with this secret, if any."""
        digest = digest_of(secret)
        found = self.store.by_digest(digest)
        if found is None:
            return None
        key, stored = found
        # The lookup already matched, but compare in constant time so the check never leaks a prefix.
        if not hmac.compare_digest(stored, digest) or not key.active:
            return None
        self._recent[digest] = (key, time.monotonic() + self.remember_for)
        return key

    def revoke(self, key_id: str, now: datetime) -> bool:
        """Revoke a key by its id or name; False when there is no such active key, KeyNameError when the name
        is held by several (keys made before names had to be unique): those are revoked by id."""
        named = [key for key in self.store.all() if key.active and key.name == key_id != key.id]
        if len(named) > 1:
            ids = ", ".join(key.id for key in named)
            raise KeyNameError(f"{len(named)} active keys are named {key_id!r}; revoke one by its id: {ids}")
        self._recent.clear()
        return self.store.revoke(named[0].id if named else key_id, now)

    def all(self) -> list[ApiKey]:
        return self.store.all()

    def has_admin(self) -> bool:
        return any(key.active and key.role is Role.ADMIN for key in self.store.all())
