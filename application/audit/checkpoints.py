"""A checkpoint: the chain's head at a moment, signed with a key the database never sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

FORMAT = "hotline-checkpoint-v1"


@dataclass(frozen=True)
class Checkpoint:
    position: int
    hash: bytes
    signed_at: datetime
    signature: bytes = b""

    def message(self) -> bytes:
        """The exact bytes the signature covers."""
        return f"{FORMAT}\n{self.position}\n{self.hash.hex()}\n{self.signed_at.isoformat()}\n".encode()
