"""Tampering with SQLite and PostgreSQL directly is detected, and located at the right position."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256
from uuid import UUID, uuid4

import pytest

from application.audit.checkpoints import Checkpoint
from application.audit.standalone import bad_export_lines
from application.audit.use_cases import chain_of, current_head, export_case, verify_store
from application.audit.verification import verify_chain
from application.handling import CaseHandling
from domain.ticket import Ticket
from infrastructure.stores import Store
from infrastructure.wiring import open_case_handling
from tests.builders import CENTRE, T0, WORKER, FakeClock, coordination, hotline_ticket, reached, solved
from tests.integration.raw_database import RawDatabase

SIGNED_AT = datetime(2024, 2, 1, tzinfo=UTC)


@dataclass
class Recorded:
    app: CaseHandling
    db: RawDatabase
    positions: list[int]


@pytest.fixture
def recorded(durable_store: Store) -> Iterator[Recorded]:
    """Three handled cases (twelve events, each saved on its own) and two tickets saved together."""
    clock = FakeClock()
    app = open_case_handling(durable_store, clock=clock)
    for _ in range(3):
        ticket = app.receive(hotline_ticket(), CENTRE).ticket.id
        app.contact(ticket, reached(clock.advance(minutes=5)), WORKER)
        app.coordinate(ticket, coordination(clock.advance(minutes=5)), WORKER)
        app.resolve(ticket, solved(clock.advance(minutes=5)), WORKER)
    app.save(new_ticket(app), new_ticket(app))
    db = RawDatabase(durable_store, app)
    yield Recorded(app, db, db.positions())
    app.close()


def new_ticket(app: CaseHandling) -> Ticket:
    command = hotline_ticket()
    return Ticket.receive(
        ticket_id=uuid4(), external_ref=None, channel=command.channel, kind=command.kind,
        category=command.category, urgency=command.urgency, summary=command.summary,
        description=command.description, location=command.location, caller=command.caller,
        unit=command.unit,
        deadlines=app.policy.deadlines_for(command.kind, command.category, command.urgency, T0),
        occurred_at=T0, actor=CENTRE, recorded_at=app.clock(),
    )  # fmt: skip


def test_an_untouched_store_verifies_up_to_its_head(recorded: Recorded) -> None:
    result = verify_store(recorded.app)

    assert result.ok
    assert result.events_checked == 14
    assert result.head_position == recorded.positions[-1]


def test_a_changed_payload_byte_is_located_at_its_event(recorded: Recorded) -> None:
    position = recorded.positions[4]
    recorded.db.flip_payload_byte(position)

    result = verify_store(recorded.app)

    assert not result.ok
    assert result.first_bad_position == position
    assert "modified" in (result.problem or "")


@pytest.mark.parametrize("batch_size", [1, 3, 13])
def test_a_walk_in_small_batches_locates_the_same_event(recorded: Recorded, batch_size: int) -> None:
    """Each batch is read in a snapshot of its own, up to its last record's position (PostgreSQL's
    REPEATABLE READ and position bound included): a change is found wherever the batches fall."""
    source = chain_of(recorded.app)
    assert verify_chain(source, batch_size=batch_size).events_checked == 14
    position = recorded.positions[7]
    recorded.db.flip_payload_byte(position)

    result = verify_chain(source, batch_size=batch_size)

    assert not result.ok
    assert result.first_bad_position == position
    assert "modified" in (result.problem or "")


def test_a_deleted_event_and_its_link_are_located_at_the_next_event(recorded: Recorded) -> None:
    recorded.db.delete_event(recorded.positions[6], with_link=True)

    result = verify_store(recorded.app)

    assert result.first_bad_position == recorded.positions[7]
    assert "deleted" in (result.problem or "")


def test_a_deleted_event_whose_link_remains_is_located_at_itself(recorded: Recorded) -> None:
    recorded.db.delete_event(recorded.positions[6], with_link=False)

    result = verify_store(recorded.app)

    assert result.first_bad_position == recorded.positions[6]
    assert "deleted" in (result.problem or "")


def test_an_inserted_event_is_located_at_its_position(recorded: Recorded) -> None:
    inserted = recorded.db.insert_copy_at_tail(recorded.positions[2])

    result = verify_store(recorded.app)

    assert result.first_bad_position == inserted
    assert "inserted" in (result.problem or "")


def test_two_swapped_events_are_located_at_the_first_of_them(recorded: Recorded) -> None:
    recorded.db.swap_positions(recorded.positions[3], recorded.positions[8])

    result = verify_store(recorded.app)

    assert result.first_bad_position == recorded.positions[3]


def test_a_changed_link_hash_is_located_at_its_event(recorded: Recorded) -> None:
    position = recorded.positions[5]
    recorded.db.run("UPDATE {chain} SET hash = ? WHERE position = ?", (bytes(32), position))

    result = verify_store(recorded.app)

    assert result.first_bad_position == position


def test_a_changed_payload_salt_is_located_at_its_event(recorded: Recorded) -> None:
    position = recorded.positions[3]
    recorded.db.run("UPDATE {chain} SET salt = ? WHERE position = ?", (bytes(16), position))

    result = verify_store(recorded.app)

    assert result.first_bad_position == position
    assert "modified" in (result.problem or "")


def test_a_truncated_tail_is_caught_by_the_checkpoint_it_no_longer_reaches(recorded: Recorded) -> None:
    checkpoint = current_head(recorded.app)
    recorded.db.truncate_after(recorded.positions[7])

    result = verify_store(recorded.app, expect=checkpoint)

    assert not result.ok
    assert result.first_bad_position == recorded.positions[-1]
    assert verify_store(
        recorded.app
    ).ok  # a clean cut leaves a consistent chain: only the signed head can tell
    assert "no longer reaches" in (result.problem or "")


def test_a_chain_rewritten_without_the_key_is_caught_by_the_checkpoint(recorded: Recorded) -> None:
    checkpoint = current_head(recorded.app)
    recorded.db.flip_payload_byte(recorded.positions[2])
    recorded.db.rewrite_chain()
    assert verify_store(recorded.app).ok  # consistent on its own: only the signed head can tell

    result = verify_store(recorded.app, expect=checkpoint)

    assert result.first_bad_position == checkpoint.position
    assert "rewritten" in (result.problem or "")


def test_verification_resumes_from_a_trusted_checkpoint(recorded: Recorded) -> None:
    middle = recorded.positions[5]
    resume = Checkpoint(middle, recorded.db.link(middle).hash, SIGNED_AT)
    recorded.db.flip_payload_byte(recorded.positions[9])

    result = verify_store(recorded.app, resume=resume)

    assert result.events_checked == len(recorded.positions[5:9])  # the checkpoint's own event, then three
    assert result.first_bad_position == recorded.positions[9]


def test_resuming_from_a_checkpoint_whose_event_changed_fails_there(recorded: Recorded) -> None:
    middle = recorded.positions[5]
    resume = Checkpoint(middle, recorded.db.link(middle).hash, SIGNED_AT)
    recorded.db.flip_payload_byte(middle)

    result = verify_store(recorded.app, resume=resume)

    assert result.first_bad_position == middle


def test_two_events_saved_together_get_consecutive_links(recorded: Recorded) -> None:
    last, before = recorded.db.link(recorded.positions[-1]), recorded.db.link(recorded.positions[-2])

    assert last.prev == before.hash


def exported_lines(recorded: Recorded, *, personal_data: bool) -> list[str]:
    (ticket_id,) = recorded.db.run(
        "SELECT originator_id FROM {events} WHERE {pos} = ?", (recorded.positions[0],)
    )[0]
    exported = export_case(recorded.app, UUID(str(ticket_id)))
    return [
        json.dumps(e.to_json(zone=UTC, personal_data=personal_data), ensure_ascii=False) for e in exported
    ]


def test_a_masked_export_verifies_on_its_own_by_the_documented_procedure(recorded: Recorded) -> None:
    lines = exported_lines(recorded, personal_data=False)

    assert len(lines) == 4
    assert bad_export_lines(lines) == []


def test_a_masked_export_with_a_changed_payload_digest_fails_the_procedure(recorded: Recorded) -> None:
    lines = exported_lines(recorded, personal_data=False)
    second = json.loads(lines[1])
    forged = json.dumps({**second, "payload_sha256": sha256(b"another payload").hexdigest()})

    assert bad_export_lines([lines[0], forged, *lines[2:]]) == [second["position"]]


def test_a_full_export_verifies_and_pins_every_payload_byte(recorded: Recorded) -> None:
    lines = exported_lines(recorded, personal_data=True)
    third = json.loads(lines[2])
    payload = bytearray(base64.b64decode(third["payload_b64"]))
    payload[-1] ^= 0x01
    edited = json.dumps({**third, "payload_b64": base64.b64encode(payload).decode()})

    assert bad_export_lines(lines) == []
    assert bad_export_lines([*lines[:2], edited, lines[3]]) == [third["position"]]
