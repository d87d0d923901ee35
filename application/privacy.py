"""Personal data (the caller's name and phone) is shown in full only to the centre and administrators."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from domain.values import Caller, Role

SEES_PERSONAL_DATA = frozenset({Role.INTAKE, Role.ADMIN, Role.SYSTEM})


def mask_name(name: str | None) -> str | None:
    """魏女士 → 魏**: the family name stays, so a worker can still greet the caller."""
    if not name:
        return name
    return name[0] + "**"


def mask_phone(phone: str | None) -> str | None:
    """13812341234 → 138****1234."""
    if not phone:
        return phone
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def caller_for(role: Role, caller: Caller | None) -> Caller | None:
    """The caller as a reader in `role` may see them."""
    if caller is None or role in SEES_PERSONAL_DATA:
        return caller
    return dataclasses.replace(caller, name=mask_name(caller.name), phone=mask_phone(caller.phone))


def event_data_for(role: Role, data: Mapping[str, object]) -> Mapping[str, object]:
    """An event's data (as primitives) with its caller masked for `role`."""
    return data if role in SEES_PERSONAL_DATA else masked_event_data(data)


def masked_event_data(data: Mapping[str, object]) -> Mapping[str, object]:
    """An event's data (as primitives) with its caller's name and phone masked, whoever reads it."""
    caller = data.get("caller")
    if not isinstance(caller, Mapping):
        return data
    masked = {
        **caller,
        "name": mask_name(_text(caller.get("name"))),
        "phone": mask_phone(_text(caller.get("phone"))),
    }
    return {**data, "caller": masked}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
