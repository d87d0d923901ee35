"""What an auditor reads back from verifying the tamper-evident chain."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from application.audit.verification import VerifyResult


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
