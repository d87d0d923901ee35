"""How the domain's value types are written to and read back from every store."""

from __future__ import annotations

import typing
from datetime import datetime
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
    """A frozen dataclass stored as one flat dict: its enum fields as values, its datetimes as ISO 8601.

    Flattening known field types here, rather than leaving each to its own transcoding, keeps one JSON
    object per record instead of one per nested value: decoding is most of the cost of loading a ticket.
    """

    def __init__(self, record_type: type[Any]) -> None:
        self.type = record_type
        self.name = record_type.__name__
        hints = typing.get_type_hints(record_type)
        self.enums = {
            name: kind for name, kind in hints.items() if isinstance(kind, type) and issubclass(kind, Enum)
        }
        self.times = {name for name, kind in hints.items() if kind is datetime}

    def encode(self, obj: object) -> dict[str, object]:
        data = dict(vars(obj))  # a (non-slotted) dataclass's __dict__ holds exactly its fields
        for name in self.enums:
            data[name] = data[name].value
        for name in self.times:
            data[name] = data[name].isoformat()
        return data

    def decode(self, data: dict[str, Any]) -> object:
        for name, enum_type in self.enums.items():
            data[name] = enum_type(data[name])
        for name in self.times:
            data[name] = datetime.fromisoformat(data[name])
        return self.type(**data)


def register_domain_transcodings(transcoder: JSONTranscoder) -> None:
    for enum_type in ENUMS:
        transcoder.register(EnumAsValue(enum_type))
    for record_type in RECORDS:
        transcoder.register(RecordAsDict(record_type))
