"""What a person reads, in Chinese: the events' and statuses' names, and each event's facts as one line
(`hotline replay` and the printable timeline)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo

Data = Mapping[str, object]
TYPE_LABELS = {  # the events' names
    "received": "受理/派单",
    "contacted": "联系诉求人",
    "site-visited": "现场核查",
    "coordinated": "协调",
    "resolved": "办结/答复",
    "feedback-given": "回访评价",
    "praised": "表扬",
}
STATUS_LABELS = {  # the statuses' names wherever a person reads them
    "received": "已受理",
    "in_progress": "办理中",
    "resolved": "已办结待回访",
    "closed": "已关闭",
}

VALUES = {  # the enums' values (one meaning for each, whichever enum uses it) as a person reads them
    "hotline": "12345热线", "online": "网络", "app": "客户端", "walk_in": "来访", "proactive": "未诉先办",
    "phone": "电话", "in_person": "当面", "sms": "短信", "wechat": "微信", "letter": "来信", "banner": "锦旗",
    "inquiry": "咨询", "help": "求助", "complaint": "投诉", "report": "举报", "suggestion": "建议",
    "normal": "一般", "urgent": "紧急", "critical": "特急",
    "solved": "已解决", "partially_solved": "部分解决", "explained": "已解释", "unresolvable": "无法解决",
    "referred": "已转办",
    "satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意",
}  # fmt: skip


def said(value: object) -> str:
    """A value as a person reads it: an enum's value in Chinese, yes or no, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return VALUES.get(value, value)
    return str(value)


def event_line(event_type: str, data: Data, zone: tzinfo) -> str:
    """The event's facts, its times in `zone`."""
    return " · ".join(part for part in _DETAILS[event_type](data, zone) if part)


def _get(data: Data, *path: str) -> object:
    value: object = data
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _time(value: object, zone: tzinfo) -> str:
    if not isinstance(value, str):
        return "—"
    return datetime.fromisoformat(value).astimezone(zone).isoformat(sep=" ", timespec="minutes")


def _received(data: Data, zone: tzinfo) -> list[str]:
    caller = _get(data, "caller")
    if isinstance(caller, Mapping):
        who = f"诉求人 {said(caller.get('name'))} {said(caller.get('phone'))}"
        who += "（要求保密）" if caller.get("confidential") else ""
    else:
        who = "无诉求人（未诉先办）"
    building = _get(data, "location", "building")
    place = f"{_get(data, 'location', 'address')}{f' {building}' if building else ''}"
    return [
        said(data.get("channel")), said(data.get("kind")), str(data.get("category")),
        said(data.get("urgency")), who, f"地点 {place}（{_get(data, 'location', 'community')}）",
        f"回音时限 {_time(_get(data, 'deadlines', 'respond_by'), zone)}",
        f"办结时限 {_time(_get(data, 'deadlines', 'resolve_by'), zone)}",
    ]  # fmt: skip


def _contacted(data: Data, zone: tzinfo) -> list[str]:
    reached = "已联系上" if data.get("reached") else "未联系上"
    return [said(data.get("channel")), reached, str(data.get("note") or "")]


def _site_visited(data: Data, zone: tzinfo) -> list[str]:
    photos = data.get("photos")
    listed = "、".join(str(photo) for photo in photos) if isinstance(photos, list) else ""
    return [str(data.get("findings")), f"照片 {listed}" if listed else ""]


def _coordinated(data: Data, zone: tzinfo) -> list[str]:
    code = _get(data, "party", "code")
    party = f"{_get(data, 'party', 'name')}{f'（{code}）' if code else ''}"
    reply = data.get("reply")
    return [f"{party}：{data.get('request')}{f' → {reply}' if reply else ''}"]


def _resolved(data: Data, zone: tzinfo) -> list[str]:
    reason = data.get("reason")
    return [said(data.get("outcome")), str(data.get("reply")), f"原因 {reason}" if reason else ""]


def _feedback(data: Data, zone: tzinfo) -> list[str]:
    if not data.get("caller_reached"):
        return ["回访未接通"]
    return [
        said(data.get("satisfaction")), f"确认被联系 {said(data.get('contact_confirmed'))}",
        f"已解决 {said(data.get('solved'))}", str(data.get("comment") or ""),
    ]  # fmt: skip


def _praised(data: Data, zone: tzinfo) -> list[str]:
    return [said(data.get("channel")), str(data.get("by") or "匿名"), str(data.get("message"))]


_DETAILS: Mapping[str, Callable[[Data, tzinfo], list[str]]] = {
    "received": _received,
    "contacted": _contacted,
    "site-visited": _site_visited,
    "coordinated": _coordinated,
    "resolved": _resolved,
    "feedback-given": _feedback,
    "praised": _praised,
}
