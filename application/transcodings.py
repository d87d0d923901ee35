"""How the domain's value types are written to and read back from every store."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.deadlines import Deadlines
from domain.values import (
    Actor,
    Caller,
    ContactChannel,
    IntakeChannel,
    Kind,
    Location,
    Outcome,
    Party,
    PraiseChannel,
    Role,
    Satisfaction,
    Status,
    Urgency,
)

ENUMS: tuple[type[Enum], ...] = (
    Kind,
    Urgency,
    IntakeChannel,
    ContactChannel,
    Outcome,
    Satisfaction,
    PraiseChannel,
    Role,
    Status,
)
RECORDS: tuple[type[Any], ...] = (Actor, Location, Caller, Party, Deadlines)


class EnumAsValue(Transcoding):
    """An enumeration member stored as its value, read back as the member itself."""

    def __init__(self, enum_type: type[Enum]) -> None:
        self.type = enum_type
        self.name = enum_type.__name__
        self._members = {member.value: member for member in enum_type}  # skips EnumMeta.__call__

    def encode(self, obj: Enum) -> object:
        return obj.value

    def decode(self, data: object) -> Enum:
        try:
            return self._members[data]
        except (KeyError, TypeError):  # not a current value (or unhashable): let the enum say why
            member: Enum = self.type(data)
            return member


class RecordAsDict(Transcoding):
    """A frozen dataclass stored as a dict of its fields (nested values are transcoded too)."""

    def __init__(self, record_type: type[Any]) -> None:
        self.type = record_type
        self.name = record_type.__name__

    def encode(self, obj: object) -> dict[str, object]:
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(self.type)}

    def decode(self, data: dict[str, object]) -> object:
        return self.type(**data)


def register_domain_transcodings(transcoder: JSONTranscoder) -> None:
    for enum_type in ENUMS:
        transcoder.register(EnumAsValue(enum_type))
    for record_type in RECORDS:
        transcoder.register(RecordAsDict(record_type))
