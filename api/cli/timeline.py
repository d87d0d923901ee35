"""A ticket and its history as a readable timeline, for `hotline replay`."""

from __future__ import annotations

from datetime import datetime, tzinfo

from api.render.details import STATUS_LABELS, TYPE_LABELS, event_line, said
from application.views import HistoryEntry, TicketState


def render(state: TicketState, history: list[HistoryEntry], zone: tzinfo) -> list[str]:
    """The heading lines about the ticket, then two lines per event."""
    lines = [
        f"工单 {state.external_ref or '-'}  ({state.id})  {state.summary}",
        f"状态 {state.status.value} {STATUS_LABELS[state.status.value]}  version {state.version}  "
        f"{said(state.kind.value)} · {state.category} · {said(state.urgency.value)} · {state.unit}",
        f"受理 {_time(state.received_at, zone)}  回音 {_time(state.responded_at, zone)}  "
        f"办结 {_time(state.resolved_at, zone)}  关闭 {_time(state.closed_at, zone)}  "
        f"重办 {state.rework_count}  表扬 {state.praise_count}",
        "",
    ]
    for entry in history:
        actor = entry.actor
        lines.append(
            f"v{entry.version:<3} {_time(entry.occurred_at, zone)}  {TYPE_LABELS[entry.type]} {entry.type}"
            f"  — {actor.id} ({actor.role.value}, {actor.unit})"
        )
        lines.append(f"      {event_line(entry.type, entry.data, zone)}")
    return lines


def _time(value: datetime | None, zone: tzinfo) -> str:
    return "-" if value is None else value.astimezone(zone).isoformat(sep=" ", timespec="minutes")
