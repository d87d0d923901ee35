"""GET /v1/audit/verify and a case's export and timeline, for auditors."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest

from application.audit.standalone import bad_export_lines
from application.commands import RecordPraise
from domain.values import PraiseChannel
from infrastructure.services import open_services
from infrastructure.settings import Settings
from infrastructure.stores import store_for
from tests.api import bodies
from tests.api.conftest import Api, api_on
from tests.builders import CENTRE, T0, WORKER, FakeClock, hotline_ticket, reached, solved
from tests.integration.raw_database import RawDatabase


@pytest.fixture
def on_sqlite(tmp_path: Path) -> Iterator[tuple[Api, UUID, str]]:
    url = f"sqlite:///{tmp_path}/hotline.db"
    clock = FakeClock(T0 + timedelta(days=1))
    services = open_services(Settings(database_url=url), clock=clock)
    ticket = services.app.receive(hotline_ticket(occurred_at=T0), CENTRE).ticket.id
    services.app.contact(ticket, reached(T0 + timedelta(hours=2)), WORKER)
    yield api_on(services, clock), ticket, url
    services.app.close()


def test_an_auditor_sees_an_intact_store_verified_to_its_head(on_sqlite: tuple[Api, UUID, str]) -> None:
    api, _, _ = on_sqlite

    reply = api.client.get("/v1/audit/verify", headers=api.as_("auditor"))

    assert reply.status_code == 200
    assert reply.json()["ok"] is True
    assert reply.json()["head_position"] == reply.json()["events_checked"] >= 2


def test_a_tampered_store_is_reported_with_its_first_bad_position(on_sqlite: tuple[Api, UUID, str]) -> None:
    api, _, url = on_sqlite
    db = RawDatabase(store_for(url), api.services.app)
    db.flip_payload_byte(db.positions()[1])

    body = api.client.get("/v1/audit/verify", headers=api.as_("auditor")).json()

    assert body["ok"] is False
    assert body["first_bad_position"] == db.positions()[1]
    assert "modified" in body["problem"]


def test_verification_resumes_from_a_head_an_earlier_verification_reported(
    on_sqlite: tuple[Api, UUID, str],
) -> None:
    api, ticket, _ = on_sqlite
    earlier = api.client.get("/v1/audit/verify", headers=api.as_("auditor")).json()
    api.services.app.resolve(ticket, solved(T0 + timedelta(hours=3)), WORKER)
    resume = {"from_position": earlier["head_position"], "from_hash": earlier["head_hash"]}

    body = api.client.get("/v1/audit/verify", params=resume, headers=api.as_("auditor")).json()

    assert body["ok"] is True
    assert body["events_checked"] == 2  # the trusted head's own event, then the new one
    assert body["head_position"] == earlier["head_position"] + 1


def test_resuming_from_a_hash_the_store_does_not_hold_fails_there(on_sqlite: tuple[Api, UUID, str]) -> None:
    api, _, _ = on_sqlite
    resume = {"from_position": 1, "from_hash": "0" * 64}

    body = api.client.get("/v1/audit/verify", params=resume, headers=api.as_("auditor")).json()

    assert body["ok"] is False
    assert body["first_bad_position"] == 1


def test_resuming_needs_both_the_position_and_its_hash(on_sqlite: tuple[Api, UUID, str]) -> None:
    api, _, _ = on_sqlite

    reply = api.client.get("/v1/audit/verify?from_position=1", headers=api.as_("auditor"))

    assert reply.status_code == 422
    assert "from_hash" in reply.text


def test_workers_may_not_run_the_verification(on_sqlite: tuple[Api, UUID, str]) -> None:
    api, _, _ = on_sqlite

    assert api.client.get("/v1/audit/verify", headers=api.as_("worker")).status_code == 403


def test_the_in_memory_store_answers_that_it_keeps_no_chain(api: Api) -> None:
    reply = api.client.get("/v1/audit/verify", headers=api.as_("auditor"))

    assert reply.status_code == 409
    assert reply.json()["type"].endswith("chain_unavailable")


def test_a_cases_export_verifies_by_the_documented_procedure(on_sqlite: tuple[Api, UUID, str]) -> None:
    api, ticket, _ = on_sqlite

    reply = api.client.get(f"/v1/audit/tickets/{ticket}/export", headers=api.as_("auditor"))

    lines = reply.text.splitlines()
    assert reply.headers["content-type"].startswith("application/x-ndjson")
    assert len(lines) == 2
    assert bad_export_lines(lines) == []


def test_the_auditors_export_holds_neither_the_callers_name_nor_phone_and_still_verifies(
    on_sqlite: tuple[Api, UUID, str],
) -> None:
    api, ticket, _ = on_sqlite

    reply = api.client.get(f"/v1/audit/tickets/{ticket}/export", headers=api.as_("auditor"))

    assert reply.status_code == 200
    assert "魏女士".encode() not in reply.content
    assert b"13812341234" not in reply.content
    assert "138****1234" in reply.text  # the readable copy is there, masked as elsewhere in the API
    assert all("payload_b64" not in json.loads(line) for line in reply.text.splitlines())
    assert bad_export_lines(reply.text.splitlines()) == []


def test_an_administrator_exports_the_full_form_whose_payloads_are_checked(
    on_sqlite: tuple[Api, UUID, str],
) -> None:
    api, ticket, _ = on_sqlite
    url = f"/v1/audit/tickets/{ticket}/export?personal_data=true"

    lines = api.client.get(url, headers=api.as_("admin")).text.splitlines()

    first = json.loads(lines[0])
    payload = bytearray(base64.b64decode(first["payload_b64"]))
    payload[len(payload) // 2] ^= 0x01
    edited = json.dumps({**first, "payload_b64": base64.b64encode(payload).decode()})
    assert "13812341234" in lines[0]
    assert bad_export_lines(lines) == []
    assert bad_export_lines([edited, *lines[1:]]) == [first["position"]]


def test_an_auditor_may_not_ask_for_the_full_form(on_sqlite: tuple[Api, UUID, str]) -> None:
    api, ticket, _ = on_sqlite
    url = f"/v1/audit/tickets/{ticket}/export?personal_data=true"

    reply = api.client.get(url, headers=api.as_("auditor"))

    assert reply.status_code == 403
    assert "personal data" in reply.json()["detail"]


def test_a_cases_timeline_prints_its_findings(on_sqlite: tuple[Api, UUID, str]) -> None:
    api, ticket, _ = on_sqlite

    reply = api.client.get(f"/v1/audit/tickets/{ticket}/timeline", headers=api.as_("auditor"))

    assert reply.status_code == 200
    assert "<th>回音用时</th><td>2小时0分钟</td>" in reply.text


def test_a_cases_timeline_masks_the_caller_everywhere_and_gives_times_in_the_deployments_zone(
    on_sqlite: tuple[Api, UUID, str],
) -> None:
    api, _, _ = on_sqlite
    app = api.services.app
    ticket = app.receive(
        hotline_ticket(external_ref="T-MASK", summary="魏女士反映下水道堵塞"), CENTRE
    ).ticket.id
    app.contact(ticket, reached(T0 + timedelta(hours=1)), WORKER)
    app.resolve(ticket, solved(T0 + timedelta(hours=2)), WORKER)
    thanks = RecordPraise(
        occurred_at=T0 + timedelta(hours=3),
        channel=PraiseChannel.HOTLINE,
        by="魏女士",
        message="回电13812341234",
    )
    app.praise(ticket, thanks, CENTRE)

    page = api.client.get(f"/v1/audit/tickets/{ticket}/timeline", headers=api.as_("auditor")).text

    assert "魏女士" not in page
    assert "13812341234" not in page
    assert "魏**反映下水道堵塞" in page  # the heading
    assert "魏**：回电138****1234" in page  # the praise among the findings
    assert T0.isoformat(timespec="minutes") in page  # received, as +08:00
    assert "+00:00" not in page


def test_exporting_an_unknown_case_is_not_found(on_sqlite: tuple[Api, UUID, str]) -> None:
    api, _, _ = on_sqlite

    reply = api.client.get(f"/v1/audit/tickets/{UUID(int=7)}/export", headers=api.as_("auditor"))

    assert reply.status_code == 404


def test_an_exports_readable_times_are_in_the_deployments_zone(on_sqlite: tuple[Api, UUID, str]) -> None:
    api, _, _ = on_sqlite
    in_utc = bodies.drain(occurred_at="2024-01-10T01:00:00+00:00")  # deadlines computed from it, in UTC
    ticket = api.client.post("/v1/tickets", json=in_utc, headers=api.as_("intake")).json()["id"]

    reply = api.client.get(f"/v1/audit/tickets/{ticket}/export", headers=api.as_("auditor"))

    lines = reply.text.splitlines()
    events = [json.loads(line)["event"] for line in lines]
    times = [e["occurred_at"] for e in events] + [e["recorded_at"] for e in events]
    times += list(events[0]["data"]["deadlines"].values())[:2]
    assert all(at.endswith("+08:00") for at in times), times
    assert bad_export_lines(lines) == []  # the readable part is not what the chain binds
