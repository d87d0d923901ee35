"""The response-audit findings for one case (事事有回音、件件有着落), from its own state and history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from application.response_audit import DeadlineState, judge_deadline
from application.views import HistoryEntry, TicketState


@dataclass(frozen=True)
class Rating:
    occurred_at: datetime
    caller_reached: bool
    solved: bool | None
    satisfaction: str | None
    comment: str | None


@dataclass(frozen=True)
class PraiseNote:
    occurred_at: datetime
    channel: str
    by: str | None
    message: str


@dataclass(frozen=True)
class CaseFindings:
    """When the caller was first reached and the case resolved, each against its deadline."""

    needs_response: bool
    responded_at: datetime | None
    response_time: timedelta | None
    responded_on_time: DeadlineState
    resolved_at: datetime | None
    resolved_on_time: DeadlineState
    outcome: str | None
    ratings: Sequence[Rating]
    rework_count: int
    praise: Sequence[PraiseNote]


def findings_of(state: TicketState, history: Sequence[HistoryEntry], now: datetime) -> CaseFindings:
    """The findings as of `now`; a deadline not yet reached is neither met nor missed."""
    responded = state.responded_at
    return CaseFindings(
        needs_response=state.caller is not None,
        responded_at=responded,
        response_time=responded - state.received_at if responded else None,
        responded_on_time=judge_deadline(responded, state.deadlines.respond_by, now),
        resolved_at=state.resolved_at,
        resolved_on_time=judge_deadline(state.resolved_at, state.deadlines.resolve_by, now),
        outcome=state.outcome.value if state.outcome else None,
        ratings=[_rating(e) for e in history if e.type == "feedback-given"],
        rework_count=state.rework_count,
        praise=[_praise(e) for e in history if e.type == "praised"],
    )


def _rating(entry: HistoryEntry) -> Rating:
    data = entry.data
    return Rating(
        occurred_at=entry.occurred_at,
        caller_reached=bool(data["caller_reached"]),
        solved=_optional_bool(data.get("solved")),
        satisfaction=_optional_text(data.get("satisfaction")),
        comment=_optional_text(data.get("comment")),
    )


def _praise(entry: HistoryEntry) -> PraiseNote:
    data = entry.data
    return PraiseNote(
        entry.occurred_at, str(data["channel"]), _optional_text(data.get("by")), str(data["message"])
    )


def _optional_bool(value: object) -> bool | None:
    return None if value is None else bool(value)


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)
