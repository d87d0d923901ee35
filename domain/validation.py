"""Checks on the shape of a command's input; each failure names the offending field."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import Enum

from domain.errors import InvalidInputError, LifecycleError, Rule
from domain.values import Caller, IntakeChannel, Location, Outcome, Satisfaction

SHORT_TEXT = 200
LONG_TEXT = 5000
CATEGORY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-]{2,22}[0-9]$")
EXTERNAL_REF_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/\-]{0,63}$")
# How far after the moment of recording a client's clock may place an event (rule 8).
CLOCK_SLACK = timedelta(minutes=5)


def require_text(field: str, value: str, limit: int = LONG_TEXT) -> None:
    if not value.strip():
        raise InvalidInputError(field, "must not be empty")
    optional_text(field, value, limit)


def optional_text(field: str, value: str | None, limit: int = LONG_TEXT) -> None:
    if value is not None and len(value) > limit:
        raise InvalidInputError(field, f"must be at most {limit} characters")
    if value is not None and "\x00" in value:
        raise InvalidInputError(field, "must not contain NUL characters")


def require_aware(field: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInputError(field, "must carry a UTC offset, such as +08:00")


def require_category(value: str) -> None:
    if not CATEGORY_PATTERN.fullmatch(value):
        raise InvalidInputError("category", "must be a dotted code such as housing.drainage")


def require_external_ref(value: str | None) -> None:
    if value is not None and not EXTERNAL_REF_PATTERN.fullmatch(value):
        raise InvalidInputError("external_ref", "must be 1-64 letters, digits or the characters _ . : / -")


def require_location(location: Location) -> None:
    require_text("location.address", location.address, SHORT_TEXT)
    require_text("location.community", location.community, SHORT_TEXT)
    optional_text("location.building", location.building, SHORT_TEXT)
    if (location.lat is None) != (location.lon is None):
        raise InvalidInputError("location", "lat and lon come together or not at all")
    if location.lat is not None and not -90 <= location.lat <= 90:
        raise InvalidInputError("location.lat", "must be between -90 and 90")
    if location.lon is not None and not -180 <= location.lon <= 180:
        raise InvalidInputError("location.lon", "must be between -180 and 180")


def require_caller(caller: Caller) -> None:
    name = (caller.name or "").strip()
    phone = (caller.phone or "").strip()
    if not name and not phone:
        raise InvalidInputError("caller", "needs a name or a phone number")
    optional_text("caller.name", caller.name, SHORT_TEXT)
    if caller.phone is not None and not PHONE_PATTERN.fullmatch(caller.phone):
        raise InvalidInputError("caller.phone", "must be a phone number of digits, spaces or -")


def require_member(field: str, value: object, enum_type: type[Enum]) -> None:
    # Edges parse strings into members; this catches a raw string that slipped past them.
    if not isinstance(value, enum_type):
        allowed = ", ".join(str(member.value) for member in enum_type)
        raise InvalidInputError(field, f"must be one of {allowed}")


def require_flag(field: str, value: object, *, optional: bool = False) -> None:
    if not isinstance(value, bool) and not (optional and value is None):
        raise InvalidInputError(field, "must be true or false")


def check_clock(occurred_at: datetime, recorded_at: datetime) -> None:
    """Rule 8, the half that needs no ticket: nothing happens more than a few minutes from now."""
    require_aware("occurred_at", occurred_at)
    require_aware("recorded_at", recorded_at)
    if occurred_at > recorded_at + CLOCK_SLACK:
        now = recorded_at.astimezone(occurred_at.tzinfo)  # in the client's own offset, to compare at a glance
        raise LifecycleError(
            Rule.IN_THE_FUTURE,
            f"occurred_at {occurred_at.isoformat()} is more than "
            f"{int(CLOCK_SLACK.total_seconds() // 60)} minutes after now ({now.isoformat()}).",
        )


def check_caller_matches_channel(channel: IntakeChannel, caller: Caller | None) -> None:
    if channel is IntakeChannel.PROACTIVE:
        if caller is not None:
            raise InvalidInputError("caller", "a proactive ticket (未诉先办) has no caller")
        return
    if caller is None:
        raise InvalidInputError("caller", f"a {channel.value} ticket needs its caller")
    require_caller(caller)


def check_feedback_fields(
    caller_reached: bool,
    contact_confirmed: bool | None,
    solved: bool | None,
    satisfaction: Satisfaction | None,
) -> None:
    require_flag("caller_reached", caller_reached)
    require_flag("contact_confirmed", contact_confirmed, optional=True)
    require_flag("solved", solved, optional=True)
    if satisfaction is not None:
        require_member("satisfaction", satisfaction, Satisfaction)
    if caller_reached and satisfaction is None:
        raise InvalidInputError("satisfaction", "is required when the caller was reached")
    if not caller_reached:
        for field, value in (
            ("satisfaction", satisfaction),
            ("solved", solved),
            ("contact_confirmed", contact_confirmed),
        ):
            if value is not None:
                raise InvalidInputError(field, "can be given only when the caller was reached")


def check_resolution(outcome: Outcome, reply: str, reason: str | None) -> None:
    require_member("outcome", outcome, Outcome)
    require_text("reply", reply)
    if outcome.needs_reason:
        require_text("reason", reason or "")
    optional_text("reason", reason)
