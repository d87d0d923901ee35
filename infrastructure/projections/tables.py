"""The views' tables, and how their rows are written to and read from them in either dialect."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

import msgspec

from application.projections import (
    ResponseAuditProjection,
    StatusBoardProjection,
    TicketProjection,
    UnreadableRow,
)
from application.read_models import AuditFacts, BoardRow, FeedbackFact
from domain.deadlines import Deadlines
from domain.values import Kind, Outcome, Satisfaction, Status, Urgency
from infrastructure.projections.dialects import DbRow, Dialect


@dataclass(frozen=True)
class Table:
    """A view's table: its columns (name → kind), its indexes, and its row codec. Its name carries the
    projection's version, so each version's rows, position and indexes are tables of their own."""

    name: str
    columns: Mapping[str, str]
    indexes: Mapping[str, tuple[str, ...]]
    encode: Callable[[Any, Dialect], tuple[Any, ...]]  # the row's values in column order
    decode: Callable[[DbRow, Dialect], Any]

    @property
    def tracking_name(self) -> str:
        """The table of the view's tracking position: named after the view's, so each version has its own."""
        return f"{self.name}_tracking"

    @property
    def index_names(self) -> list[str]:
        return [f"{self.name}_{suffix}" for suffix in self.indexes]

    def read_back(self, r: DbRow, d: Dialect) -> Any:
        """The stored row decoded, or an UnreadableRow if it holds what no fold writes (it was edited)."""
        try:
            return self.decode(r, d)
        except (ValueError, TypeError, KeyError):
            return UnreadableRow(str(r["id"]))

    def sql_types(self, d: Dialect) -> list[str]:
        """The columns' SQL types, in column order."""
        return [d.types[kind] for kind in self.columns.values()]

    def create_statements(self, d: Dialect, qualified: str) -> list[str]:
        columns = ", ".join(
            f"{name} {kind}" for name, kind in zip(self.columns, self.sql_types(d), strict=True)
        )
        table = f"CREATE TABLE IF NOT EXISTS {qualified} ({columns}, PRIMARY KEY (id))"
        return [table, *self.index_statements(qualified)]

    def index_statements(self, qualified: str) -> list[str]:
        """Creating each secondary index, if missing."""
        return [
            f"CREATE INDEX IF NOT EXISTS {name} ON {qualified} ({', '.join(keys)})"
            for name, keys in zip(self.index_names, self.indexes.values(), strict=True)
        ]

    def drop_index_statements(self, schema: str | None = None) -> list[str]:
        """Dropping the secondary indexes (the primary key stays): a rebuild refills faster without them."""
        prefix = "" if schema is None else f'"{schema}".'
        return [f"DROP INDEX IF EXISTS {prefix}{name}" for name in self.index_names]

    def insert(self, d: Dialect, qualified: str) -> str:
        """Insert one row, given as positional parameters in column order (IntegrityError if held)."""
        values = ", ".join(d.positional for _ in self.columns)
        return f"INSERT INTO {qualified} ({', '.join(self.columns)}) VALUES ({values})"

    def upsert(self, d: Dialect, qualified: str) -> str:
        """Insert or update one row, given as positional parameters in column order."""
        updates = ", ".join(f"{name} = excluded.{name}" for name in list(self.columns)[1:])
        return f"{self.insert(d, qualified)} ON CONFLICT (id) DO UPDATE SET {updates}"

    def upsert_from(self, staged: str, qualified: str) -> str:
        """Insert or update every row of the table `staged` (same columns) into `qualified`."""
        names = ", ".join(self.columns)
        updates = ", ".join(f"{name} = excluded.{name}" for name in list(self.columns)[1:])
        return (
            f"INSERT INTO {qualified} ({names}) SELECT {names} FROM {staged} "
            f"ON CONFLICT (id) DO UPDATE SET {updates}"
        )


def _maybe(convert: Callable[[Any], Any], value: Any) -> Any:
    return None if value is None else convert(value)


def _value(member: Enum | None) -> object:
    return None if member is None else member._value_  # the value as stored; `.value` is a slower property


def _encode_board(row: BoardRow, d: Dialect) -> tuple[Any, ...]:
    deadlines = row.deadlines
    received, responded, resolved, closed, respond_by, resolve_by = d.times_in(
        row.received_at, row.responded_at, row.resolved_at, row.closed_at, deadlines.respond_by,
        deadlines.resolve_by,
    )  # fmt: skip
    return (
        d.uuid_in(row.id), row.external_ref, row.status._value_, row.unit, row.community, row.kind._value_,
        row.category, row.urgency._value_, row.summary, row.has_caller, received, responded, resolved, closed,
        _value(row.outcome), _value(row.satisfaction), row.rework_count, row.praise_count, respond_by,
        resolve_by, deadlines.policy, row.version, row.position,
    )  # fmt: skip


def _decode_board(r: DbRow, d: Dialect) -> BoardRow:
    return BoardRow(
        id=d.uuid_out(r["id"]),
        external_ref=r["external_ref"],
        status=Status(r["status"]),
        unit=r["unit"],
        community=r["community"],
        kind=Kind(r["kind"]),
        category=r["category"],
        urgency=Urgency(r["urgency"]),
        summary=r["summary"],
        has_caller=bool(r["has_caller"]),
        received_at=d.time_out(r["received_at"]),
        responded_at=_maybe(d.time_out, r["responded_at"]),
        resolved_at=_maybe(d.time_out, r["resolved_at"]),
        closed_at=_maybe(d.time_out, r["closed_at"]),
        outcome=_maybe(Outcome, r["outcome"]),
        satisfaction=_maybe(Satisfaction, r["satisfaction"]),
        rework_count=r["rework_count"],
        praise_count=r["praise_count"],
        deadlines=Deadlines(d.time_out(r["respond_by"]), d.time_out(r["resolve_by"]), r["deadline_policy"]),
        version=r["version"],
        position=r["position"],
    )


_FEEDBACK_JSON = msgspec.json.Encoder()  # times as RFC 3339 (ISO 8601), ratings by value; in C


def _encode_feedback(feedback: tuple[FeedbackFact, ...]) -> str:
    return _FEEDBACK_JSON.encode(
        [(f.occurred_at, f.caller_reached, f.contact_confirmed, f.solved, f.satisfaction) for f in feedback]
    ).decode()


def _decode_feedback(text: str) -> tuple[FeedbackFact, ...]:
    return tuple(
        FeedbackFact(datetime.fromisoformat(at), reached, confirmed, solved, _maybe(Satisfaction, rating))
        for at, reached, confirmed, solved, rating in json.loads(text)
    )


def _encode_audit(facts: AuditFacts, d: Dialect) -> tuple[Any, ...]:
    received, respond_by, resolve_by, first_response, outcome_at = d.times_in(
        facts.received_at, facts.respond_by, facts.resolve_by, facts.first_response_at, facts.outcome_at
    )
    return (
        d.uuid_in(facts.ticket_id), facts.external_ref, facts.unit, facts.status._value_, facts.has_caller,
        received, respond_by, resolve_by, first_response, _value(facts.outcome), outcome_at,
        _encode_feedback(facts.feedback), facts.rework_count, facts.praise_count, facts.version,
        facts.position,
    )  # fmt: skip


def _decode_audit(r: DbRow, d: Dialect) -> AuditFacts:
    return AuditFacts(
        ticket_id=d.uuid_out(r["id"]),
        external_ref=r["external_ref"],
        unit=r["unit"],
        status=Status(r["status"]),
        has_caller=bool(r["has_caller"]),
        received_at=d.time_out(r["received_at"]),
        respond_by=d.time_out(r["respond_by"]),
        resolve_by=d.time_out(r["resolve_by"]),
        first_response_at=_maybe(d.time_out, r["first_response_at"]),
        outcome=_maybe(Outcome, r["outcome"]),
        outcome_at=_maybe(d.time_out, r["outcome_at"]),
        feedback=_decode_feedback(r["feedback"]),
        rework_count=r["rework_count"],
        praise_count=r["praise_count"],
        version=r["version"],
        position=r["position"],
    )


def _columns(spec: str) -> dict[str, str]:
    return dict(item.split(":") for item in spec.split())


_ORDER = ("received_at", "id")


def _versioned(projection: type[TicketProjection[Any]]) -> str:
    return f"{projection.name}_v{projection.version}"


BOARD = Table(
    name=_versioned(StatusBoardProjection),
    columns=_columns(
        "id:uuid external_ref:text status:text unit:text community:text kind:text category:text "
        "urgency:text summary:text has_caller:bool received_at:time responded_at:time "
        "resolved_at:time closed_at:time outcome:text satisfaction:text rework_count:int "
        "praise_count:int respond_by:time resolve_by:time deadline_policy:text version:int "
        "position:int"
    ),
    indexes={
        "order": _ORDER,
        **{f"by_{key}": (key, *_ORDER) for key in ("status", "unit", "community", "kind", "category")},
        "by_urgency": ("urgency", *_ORDER),
        "by_external_ref": ("external_ref",),
        "open_by_deadline": ("status", "resolve_by"),
    },
    encode=_encode_board,
    decode=_decode_board,
)
AUDIT = Table(
    name=_versioned(ResponseAuditProjection),
    columns=_columns(
        "id:uuid external_ref:text unit:text status:text has_caller:bool received_at:time "
        "respond_by:time resolve_by:time first_response_at:time outcome:text outcome_at:time "
        "feedback:text rework_count:int praise_count:int version:int position:int"
    ),
    indexes={"order": _ORDER, "by_unit": ("unit", *_ORDER), "by_status": ("status", *_ORDER)},
    encode=_encode_audit,
    decode=_decode_audit,
)
