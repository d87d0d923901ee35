"""A ticket and its history as a readable timeline, for `hotline replay`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo

from api.render.timeline import STATUS_LABELS
from application.views import HistoryEntry, TicketState

LABELS = {
    "received": "受理",
    "contacted": "联系诉求人",
    "site-visited": "现场核查",
    "coordinated": "协调",
    "resolved": "办结",
    "feedback-given": "回访",
    "praised": "表扬",
}
Data = Mapping[str, object]


def render(state: TicketState, history: list[HistoryEntry], zone: tzinfo) -> list[str]:
    """The heading lines about the ticket, then two lines per event."""
    lines = [
        f"工单 {state.external_ref or '-'}  ({state.id})  {state.summary}",
        f"状态 {state.status.value} {STATUS_LABELS[state.status.value]}  version {state.version}  "
        f"{state.kind.value} · {state.category} · {state.urgency.value} · {state.unit}",
        f"受理 {_time(state.received_at, zone)}  回音 {_time(state.responded_at, zone)}  "
        f"办结 {_time(state.resolved_at, zone)}  关闭 {_time(state.closed_at, zone)}  "
        f"重办 {state.rework_count}  表扬 {state.praise_count}",
        "",
    ]
    for entry in history:
        actor = entry.actor
        lines.append(
            f"v{entry.version:<3} {_time(entry.occurred_at, zone)}  {LABELS[entry.type]} {entry.type}"
            f"  — {actor.id} ({actor.role.value}, {actor.unit})"
        )
        lines.append(f"      {DETAILS[entry.type](entry.data)}")
    return lines


def _time(value: datetime | None, zone: tzinfo) -> str:
    return "-" if value is None else value.astimezone(zone).isoformat(sep=" ", timespec="minutes")


def _get(data: Data, *path: str) -> object:
    value: object = data
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _received(data: Data) -> str:
    caller = _get(data, "caller")
    who = f"{_get(data, 'caller', 'name') or ''} {_get(data, 'caller', 'phone') or ''}".strip()
    respond_by, resolve_by = _get(data, "deadlines", "respond_by"), _get(data, "deadlines", "resolve_by")
    return (
        f"{data['channel']} · {who if caller else '无来电人(未诉先办)'} · {_get(data, 'location', 'address')}"
        f" · 回音时限 {respond_by} · 办结时限 {resolve_by}"
    )


def _contacted(data: Data) -> str:
    reached = "已联系上" if data["reached"] else "未联系上"
    return f"{data['channel']} · {reached} · {data.get('note') or ''}"


def _site_visited(data: Data) -> str:
    photos = data.get("photos")
    listed = " ".join(str(photo) for photo in photos) if isinstance(photos, list) else ""
    return f"{data['findings']} {listed}".strip()


def _coordinated(data: Data) -> str:
    reply = f" → {data['reply']}" if data.get("reply") else ""
    return f"{_get(data, 'party', 'name')}: {data['request']}{reply}"


def _resolved(data: Data) -> str:
    reason = f" (原因: {data['reason']})" if data.get("reason") else ""
    return f"{data['outcome']} · {data['reply']}{reason}"


def _feedback(data: Data) -> str:
    if not data["caller_reached"]:
        return "未联系上来电人"
    return f"{data['satisfaction']} · 已解决: {data.get('solved')} · {data.get('comment') or ''}"


def _praised(data: Data) -> str:
    return f"{data['channel']} · {data.get('by') or '匿名'} · {data['message']}"


DETAILS: Mapping[str, Callable[[Data], str]] = {
    "received": _received,
    "contacted": _contacted,
    "site-visited": _site_visited,
    "coordinated": _coordinated,
    "resolved": _resolved,
    "feedback-given": _feedback,
    "praised": _praised,
}
