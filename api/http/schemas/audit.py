"""What an auditor reads back from verifying the tamper-evident chain."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from application.audit.checkpoints import Checkpoint
from application.audit.verification import VerifyResult

HASH_PATTERN = "^[0-9a-f]{64}$"


class VerifyQueryIn(BaseModel):
    """Where to resume: a head an earlier verify reported, trusted up to there (both fields, or neither)."""

    model_config = ConfigDict(extra="forbid")
    from_position: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="Trust the chain up to this position (an earlier head_position).",
    )
    from_hash: str | None = Field(
        None, pattern=HASH_PATTERN, description="The link hash at from_position (an earlier head_hash)."
    )

    @model_validator(mode="after")
    def _both_or_neither(self) -> Self:
        if (self.from_position is None) != (self.from_hash is None):
            raise ValueError("from_position and from_hash are given together, or neither")
        return self

    def resume(self, now: datetime) -> Checkpoint | None:
        if self.from_position is None or self.from_hash is None:
            return None
        return Checkpoint(self.from_position, bytes.fromhex(self.from_hash), now)


class VerifyOut(BaseModel):
    """The walk's result: intact up to its head, or the first bad position and what was wrong there."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "ok": False, "events_checked": 1041, "head_position": 1041,
        "head_hash": "5d96e94ea3e2e84b20f98060a4a8278f9af7b6f6e16f54028378e2e38b5037dc",
        "first_bad_position": 1042,
        "problem": "the event was modified or moved: it no longer matches its hash",
    }]})  # fmt: skip
    ok: bool
    events_checked: int
    head_position: int | None
    head_hash: str | None
    first_bad_position: int | None
    problem: str | None

    @classmethod
    def of(cls, result: VerifyResult) -> VerifyOut:
        return cls(
            ok=result.ok,
            events_checked=result.events_checked,
            head_position=result.head_position,
            head_hash=result.head_hash,
            first_bad_position=result.first_bad_position,
            problem=result.problem,
        )
