"""Personal data (the caller's name and phone) is shown in full only to the centre and administrators.

That holds for the caller's own fields and for free text: a phone number written into a description or a
note, and the caller's name written into any text of their own ticket (the intake's, or a worker's note
days later), are masked the same way.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from domain.values import Caller, Location, Role

SEES_PERSONAL_DATA = frozenset({Role.INTAKE, Role.ADMIN, Role.SYSTEM})
# The events' free-text fields, where a worker or the centre may have typed personal data; `by` is who
# praised, often the caller themselves.
FREE_TEXT = (
    "summary", "description", "note", "findings", "request", "reply", "reason", "comment", "message", "by",
)  # fmt: skip
# Typed text inside the events' structured fields: the place (an address may carry a name and a number),
# the body coordinated (a relative's name and phone), the photos' references (file names).
# A community is left as written: it is a name the board filters by, and no one's.
NESTED_TEXT = {"location": ("address", "building"), "party": ("name", "code")}
LISTED_TEXT = ("photos",)
# A mobile number (11 digits, 13x–19x) or a landline with its area code (0531-, (0531)), whole or in groups
# of digits (0531-8765-4321, 138.1234.5678), either after China's country code (+86, 0086, 86; a landline's
# area code then loses its 0), and not part of a longer run of digits (an order number, a date). Matched on
# the text with full-width digits and signs and dashes read as ASCII, as a Chinese keyboard types them
# (０５３１－８８８８９９９９, 138—1234—5678).
_COUNTRY = r"(?:(?:\+|00)?86[ -]?)"
_LOCAL = r"(?:\d{7,8}|\d{3,4}[ .-]\d{4})"  # a landline's own digits, whole or in two groups
_PHONE = re.compile(
    r"(?<![\d+])(?:"
    rf"{_COUNTRY}?1[3-9]\d(?:[ .-]?\d{{4}}){{2}}"
    rf"|(?:\(0\d{{2,3}}\)|0\d{{2,3}})[ .-]?{_LOCAL}"
    rf"|{_COUNTRY}(?:\([1-9]\d{{1,2}}\)|[1-9]\d{{1,2}})[ .-]?{_LOCAL}"
    r")(?!\d)"
)
_AS_ASCII = str.maketrans("０１２３４５６７８９－（）＋　．—–", "0123456789-()+ .--")  # one character for one


def mask_name(name: str | None) -> str | None:
    """魏女士 → 魏**: the family name stays, so a worker can still greet the caller."""
    if not name:
        return name
    return name[0] + "**"


def mask_phone(phone: str | None) -> str | None:
    """13812341234 → 138****1234."""
    if not phone:
        return phone
    digits = "".join(ch for ch in phone.translate(_AS_ASCII) if ch.isdigit())
    if digits.startswith("0086"):  # the country code goes: what is left is the number as dialled at home
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) >= 12:
        digits = digits[2:]
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_text(text: str, caller_name: str | None = None) -> str:
    """Every phone number in `text` masked like a caller's phone, and the caller's name like their name:
    "魏女士（13812341234）反映" → "魏**（138****1234）反映"."""
    pieces, written = [], 0
    for found in _PHONE.finditer(text.translate(_AS_ASCII)):  # the same length: positions hold in `text`
        pieces += [text[written : found.start()], mask_phone(found.group()) or ""]
        written = found.end()
    masked = "".join(pieces) + text[written:]
    if caller_name and len(caller_name) > 1:
        masked = masked.replace(caller_name, mask_name(caller_name) or "")
    return masked


def text_for(role: Role, text: str, caller_name: str | None = None) -> str:
    """Free text of a ticket whose caller is named `caller_name`, as a reader in `role` may see it."""
    if role in SEES_PERSONAL_DATA:
        return text
    return mask_text(text, caller_name)


def caller_for(role: Role, caller: Caller | None) -> Caller | None:
    """The caller as a reader in `role` may see them."""
    if caller is None or role in SEES_PERSONAL_DATA:
        return caller
    return dataclasses.replace(caller, name=mask_name(caller.name), phone=mask_phone(caller.phone))


def location_for(role: Role, location: Location, caller_name: str | None = None) -> Location:
    """The place as a reader in `role` may see it: its texts masked like free text."""
    if role in SEES_PERSONAL_DATA:
        return location
    # The parts NESTED_TEXT names for a place, masked as they are in an event's data.
    building = None if location.building is None else mask_text(location.building, caller_name)
    return dataclasses.replace(location, address=mask_text(location.address, caller_name), building=building)


def event_data_for(
    role: Role, data: Mapping[str, object], caller_name: str | None = None
) -> Mapping[str, object]:
    """An event's data (as primitives) as a reader in `role` may see it; `caller_name` as in
    `masked_event_data`."""
    return data if role in SEES_PERSONAL_DATA else masked_event_data(data, caller_name)


def masked_event_data(data: Mapping[str, object], caller_name: str | None = None) -> Mapping[str, object]:
    """An event's data (as primitives) with its caller's name and phone masked, and the phone numbers and
    the caller's name in its free text, whoever reads it. The caller is the one the event names (the
    intake does), else `caller_name`: the name the ticket's intake gave, for its later events' texts."""
    masked = dict(data)
    caller = data.get("caller")
    if isinstance(caller, Mapping):
        caller_name = _text(caller.get("name"))
        masked["caller"] = {
            **caller,
            "name": mask_name(caller_name),
            "phone": mask_phone(_text(caller.get("phone"))),
        }
    for field in FREE_TEXT:
        text = masked.get(field)
        if isinstance(text, str):
            masked[field] = mask_text(text, caller_name)
    for field, parts in NESTED_TEXT.items():
        value = masked.get(field)
        if isinstance(value, Mapping):
            masked[field] = {**value, **_masked_parts(value, parts, caller_name)}
    for field in LISTED_TEXT:
        items = masked.get(field)
        if isinstance(items, list):
            masked[field] = [mask_text(i, caller_name) if isinstance(i, str) else i for i in items]
    return masked


def _masked_parts(
    value: Mapping[str, object], parts: tuple[str, ...], caller_name: str | None
) -> dict[str, str]:
    return {part: mask_text(text, caller_name) for part in parts if isinstance(text := value.get(part), str)}


def caller_name_in(data: Mapping[str, object]) -> str | None:
    """The caller's name, if the event (as primitives) names one: only a ticket's intake does."""
    caller = data.get("caller")
    return _text(caller.get("name")) if isinstance(caller, Mapping) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
