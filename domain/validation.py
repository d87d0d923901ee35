"""Checks on the shape of a command's input; each failure names the offending field."""

from __future__ import annotations

import re
from datetime import datetime

from domain.errors import InvalidInputError
from domain.values import Caller, Location

SHORT_TEXT = 200
LONG_TEXT = 5000
CATEGORY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-]{2,22}[0-9]$")
EXTERNAL_REF_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/\-]{0,63}$")


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
    if not CATEGORY_PATTERN.match(value):
        raise InvalidInputError("category", "must be a dotted code such as housing.drainage")


def require_external_ref(value: str | None) -> None:
    if value is not None and not EXTERNAL_REF_PATTERN.match(value):
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
    if caller.phone is not None and not PHONE_PATTERN.match(caller.phone):
        raise InvalidInputError("caller.phone", "must be a phone number of digits, spaces or -")
