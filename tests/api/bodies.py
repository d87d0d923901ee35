"""Request bodies from the seed story: 魏女士's blocked drain at 明星北区14号楼."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.builders import T0, UNIT


def at(minutes: float = 0) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def drain(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "external_ref": "JN12345-20240110-0042",
        "channel": "hotline",
        "kind": "help",
        "category": "housing.drainage",
        "urgency": "normal",
        "summary": "14号楼下水管道堵塞",
        "description": "明星北区14号楼下水管道堵塞，春节前急需疏通。",
        "location": {"address": "明星北区14号楼", "community": "明星社区", "building": "14"},
        "caller": {"name": "魏女士", "phone": "13812341234"},
        "unit": UNIT,
        "occurred_at": at(0),
    }
    return body | changes


def bench_seat(**changes: object) -> dict[str, object]:
    """A worker's proactive ticket (未诉先办): no caller."""
    body = drain(
        external_ref=None, channel="proactive", caller=None, category="public.facilities",
        summary="广场休闲座椅松动", description="日常走访发现广场座椅松动移位。",
    )  # fmt: skip
    return body | changes


def coordination(minutes: float = 30) -> dict[str, object]:
    return {"occurred_at": at(minutes), "party": {"name": "城肥一处", "code": "sewer"}, "request": "疏通管道"}


def contact(minutes: float = 40, reached: bool = True) -> dict[str, object]:
    return {"occurred_at": at(minutes), "channel": "phone", "reached": reached, "note": "已联系魏女士"}


def site_visit(minutes: float = 60) -> dict[str, object]:
    return {"occurred_at": at(minutes), "findings": "主管道堵塞", "photos": ["p/1.jpg"]}


def resolution(minutes: float = 120) -> dict[str, object]:
    return {"occurred_at": at(minutes), "outcome": "solved", "reply": "城肥一处已疏通"}


def feedback(minutes: float = 180, satisfaction: str = "satisfied") -> dict[str, object]:
    return {
        "occurred_at": at(minutes), "caller_reached": True, "contact_confirmed": True,
        "solved": satisfaction != "unsatisfied", "satisfaction": satisfaction,
    }  # fmt: skip


def praise(minutes: float = 240) -> dict[str, object]:
    return {"occurred_at": at(minutes), "channel": "hotline", "by": "魏女士", "message": "实在太感谢他们了!"}


def later(moment: datetime, minutes: float) -> datetime:
    return moment + timedelta(minutes=minutes)
