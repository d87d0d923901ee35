"""Bad input is refused with the offending field named, and nothing is recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from domain.errors import InvalidInputError
from domain.ticket import Ticket
from domain.values import Caller, IntakeChannel, Location, Outcome, Party, Satisfaction
from tests.domain.tickets import (
    Snapshot,
    contact,
    coordinate,
    feedback,
    later,
    praise,
    receipt,
    received,
    resolve,
    resolved_with_caller,
    visit,
)

NAIVE = datetime(2024, 1, 10, 12, 0)  # noqa: DTZ001 - a client's time without its offset

BAD_RECEIPTS: dict[str, tuple[str, dict[str, object]]] = {
    "empty summary": ("summary", {"summary": "  "}),
    "empty description": ("description", {"description": ""}),
    "summary too long": ("summary", {"summary": "堵" * 201}),
    "NUL in the description": ("description", {"description": "漏水\x00"}),
    "empty unit": ("unit", {"unit": " "}),
    "empty address": ("location.address", {"location": Location(" ", "明星社区")}),
    "empty community": ("location.community", {"location": Location("14号楼", "")}),
    "lat without lon": ("location", {"location": Location("14号楼", "明星社区", lat=36.6)}),
    "lat out of range": ("location.lat", {"location": Location("14号楼", "明星社区", lat=91, lon=117)}),
    "malformed category": ("category", {"category": "Housing Drainage"}),
    "malformed external reference": ("external_ref", {"external_ref": "工单 1"}),
    "external reference with a newline after it": ("external_ref", {"external_ref": "JN12345-0417\n"}),
    "category with a newline after it": ("category", {"category": "housing.drainage\n"}),
    "phone with a newline after it": ("caller.phone", {"caller": Caller("魏女士", "13812341234\n")}),
    "unknown kind": ("kind", {"kind": "gossip"}),
    "kind as a raw string": ("kind", {"kind": "help"}),
    "unknown urgency": ("urgency", {"urgency": "whenever"}),
    "unknown channel": ("channel", {"channel": "fax"}),
    "caller on a proactive ticket": (
        "caller",
        {"channel": IntakeChannel.PROACTIVE, "caller": Caller("魏女士", "13812341234")},
    ),
    "hotline ticket without a caller": ("caller", {"caller": None}),
    "caller without name or phone": ("caller", {"caller": Caller(" ", None)}),
    "malformed phone": ("caller.phone", {"caller": Caller("魏女士", "call me")}),
    "naive receipt time": ("occurred_at", {"occurred_at": NAIVE}),
}


@pytest.mark.parametrize(("field", "changes"), BAD_RECEIPTS.values(), ids=BAD_RECEIPTS.keys())
def test_a_bad_receipt_is_refused_naming_the_field(field: str, changes: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError) as error:
        Ticket.receive(**receipt(**changes))  # type: ignore[arg-type]

    assert error.value.field == field
    assert error.value.code == "invalid_input"


Command = Callable[[Ticket], None]
BAD_COMMANDS: dict[str, tuple[str, Command]] = {
    "contact with an unknown channel": ("channel", lambda t: contact(t, later(hours=3), channel="pigeon")),
    "contact with reached as text": ("reached", lambda t: contact(t, later(hours=3), reached="yes")),
    "contact at a naive time": ("occurred_at", lambda t: contact(t, NAIVE)),
    "contact note too long": ("note", lambda t: contact(t, later(hours=3), note="长" * 5001)),
    "visit without findings": ("findings", lambda t: visit(t, later(hours=3), findings=" ")),
    "visit with an empty photo": ("photos[1]", lambda t: visit(t, later(hours=3), photos=["a.jpg", ""])),
    "coordination without a party": ("party", lambda t: coordinate(t, later(hours=3), party=Party(""))),
    "coordination without a request": ("request", lambda t: coordinate(t, later(hours=3), request="")),
    "resolution without a reply": ("reply", lambda t: resolve(t, later(hours=3), reply="  ")),
    "unresolvable without a reason": (
        "reason",
        lambda t: resolve(t, later(hours=3), outcome=Outcome.UNRESOLVABLE, reason=None),
    ),
    "referred with a blank route": (
        "reason",
        lambda t: resolve(t, later(hours=3), outcome=Outcome.REFERRED, reason=" "),
    ),
    "unknown outcome": ("outcome", lambda t: resolve(t, later(hours=3), outcome="fixed")),
    "praise without a message": ("message", lambda t: praise(t, later(hours=3), message="")),
    "praise through an unknown channel": ("channel", lambda t: praise(t, later(hours=3), channel="fax")),
}


@pytest.mark.parametrize(("field", "command"), BAD_COMMANDS.values(), ids=BAD_COMMANDS.keys())
def test_a_bad_command_is_refused_naming_the_field_and_records_nothing(field: str, command: Command) -> None:
    ticket = received()
    contact(ticket, later(hours=1))
    before = Snapshot.of(ticket)

    with pytest.raises(InvalidInputError) as error:
        command(ticket)

    assert error.value.field == field
    assert Snapshot.of(ticket) == before


BAD_FEEDBACK: dict[str, tuple[str, dict[str, object]]] = {
    "reached without a rating": ("satisfaction", {"caller_reached": True, "satisfaction": None}),
    "not reached but rated": (
        "satisfaction",
        {"caller_reached": False, "satisfaction": Satisfaction.SATISFIED, "solved": None},
    ),
    "not reached but solved": ("solved", {"caller_reached": False, "satisfaction": None}),
    "not reached but confirmed": (
        "contact_confirmed",
        {"caller_reached": False, "satisfaction": None, "solved": None},
    ),
    "unknown rating": ("satisfaction", {"satisfaction": "thrilled"}),
    "comment with NUL": ("comment", {"comment": "好\x00"}),
}


@pytest.mark.parametrize(("field", "changes"), BAD_FEEDBACK.values(), ids=BAD_FEEDBACK.keys())
def test_feedback_inconsistent_with_reaching_the_caller_is_refused(
    field: str, changes: dict[str, object]
) -> None:
    ticket = resolved_with_caller()
    before = Snapshot.of(ticket)

    with pytest.raises(InvalidInputError) as error:
        feedback(ticket, later(days=1), Satisfaction.SATISFIED, **changes)

    assert error.value.field == field
    assert Snapshot.of(ticket) == before
