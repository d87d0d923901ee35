"""Idempotency-Key, ETag and If-Match: retries and races never record twice or overwrite blindly."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from infrastructure.services import open_services
from infrastructure.settings import Settings
from tests.api import bodies
from tests.api.conftest import Api, api_on
from tests.api.test_commands import received
from tests.builders import T0, FakeClock


def test_the_same_key_and_body_replay_the_first_reply_and_record_nothing_new(api: Api) -> None:
    ticket_id = received(api)
    path, headers = f"/v1/tickets/{ticket_id}/contacts", api.as_("worker", **{"Idempotency-Key": "c-1"})
    first = api.client.post(path, json=bodies.contact(), headers=headers)
    position = api.services.app.recorder.max_notification_id()

    again = api.client.post(path, json=bodies.contact(), headers=headers)

    assert again.status_code == first.status_code == 201
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"] == '"2"'
    assert again.headers["idempotent-replayed"] == "true"
    assert api.services.app.recorder.max_notification_id() == position


def test_the_same_body_serialised_anew_is_a_retry(api: Api) -> None:
    ticket_id = received(api)
    path = f"/v1/tickets/{ticket_id}/contacts"
    headers = api.as_("worker", **{"Idempotency-Key": "c-1", "Content-Type": "application/json"})
    body = bodies.contact() | {"note": "已联系魏女士"}
    first = api.client.post(path, content=json.dumps(body, ensure_ascii=False), headers=headers)
    position = api.services.app.recorder.max_notification_id()

    anew = json.dumps(dict(reversed(body.items())), ensure_ascii=True, indent=2)  # \u escapes, order, spaces
    again = api.client.post(path, content=anew, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert api.services.app.recorder.max_notification_id() == position


def test_the_same_key_with_another_body_is_422(api: Api) -> None:
    ticket_id = received(api)
    path, headers = f"/v1/tickets/{ticket_id}/contacts", api.as_("worker", **{"Idempotency-Key": "c-1"})
    api.client.post(path, json=bodies.contact(), headers=headers)

    reply = api.client.post(path, json=bodies.contact(reached=False), headers=headers)

    assert reply.status_code == 422
    assert reply.json()["type"].endswith("/idempotency_key_reused")


def test_a_refused_command_leaves_no_trace_so_its_retry_is_decided_afresh(api: Api) -> None:
    ticket_id = received(api)
    path, headers = f"/v1/tickets/{ticket_id}/resolution", api.as_("worker", **{"Idempotency-Key": "r-1"})
    refused = api.client.post(path, json=bodies.resolution(), headers=headers)
    api.client.post(f"/v1/tickets/{ticket_id}/contacts", json=bodies.contact(), headers=api.as_("worker"))

    retried = api.client.post(path, json=bodies.resolution(), headers=headers)

    assert refused.status_code == 409
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers


def test_a_key_is_scoped_to_its_api_key(api: Api) -> None:
    headers = {"Idempotency-Key": "same"}
    first = api.client.post(
        "/v1/tickets", json=bodies.drain(external_ref=None), headers=api.as_("intake", **headers)
    )

    other = api.client.post(
        "/v1/tickets", json=bodies.drain(external_ref=None), headers=api.as_("admin", **headers)
    )

    assert first.status_code == other.status_code == 201
    assert first.json()["id"] != other.json()["id"]


def test_an_unauthenticated_attempt_does_not_use_up_the_key(api: Api) -> None:
    api.client.post("/v1/tickets", json=bodies.drain(), headers={"Idempotency-Key": "k"})

    reply = api.client.post(
        "/v1/tickets", json=bodies.drain(), headers=api.as_("intake", **{"Idempotency-Key": "k"})
    )

    assert reply.status_code == 201


def test_every_ticket_reply_carries_its_version_as_etag(api: Api) -> None:
    ticket_id = received(api)

    reply = api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("auditor"))

    assert reply.headers["etag"] == '"1"'


def test_a_write_with_a_stale_if_match_is_412_and_records_nothing(api: Api) -> None:
    ticket_id = received(api)
    path = f"/v1/tickets/{ticket_id}/coordinations"
    api.client.post(path, json=bodies.coordination(), headers=api.as_("worker", **{"If-Match": '"1"'}))

    stale = api.client.post(
        path, json=bodies.coordination(), headers=api.as_("worker", **{"If-Match": '"1"'})
    )

    assert stale.status_code == 412
    assert stale.headers["etag"] == '"2"'
    assert api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("admin")).json()["version"] == 2


def test_a_write_with_the_current_if_match_succeeds(api: Api) -> None:
    ticket_id = received(api)

    reply = api.client.post(
        f"/v1/tickets/{ticket_id}/coordinations",
        json=bodies.coordination(),
        headers=api.as_("worker", **{"If-Match": '"1"'}),
    )

    assert reply.status_code == 201


@pytest.mark.parametrize("tag", ["abc", '"\u00b2"', '"\u0661"', '"' + "9" * 4400 + '"'])
def test_an_if_match_that_names_no_version_is_412(api: Api, tag: str) -> None:
    ticket_id = received(api)

    reply = api.client.post(
        f"/v1/tickets/{ticket_id}/coordinations",
        json=bodies.coordination(),
        headers={**api.as_("worker"), "If-Match": tag.encode()},  # as the client's bytes, UTF-8
    )

    assert reply.status_code == 412
    assert api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("admin")).json()["version"] == 1


def test_concurrent_duplicates_record_once(tmp_path: Path) -> None:
    clock = FakeClock(T0 + timedelta(days=1))
    api = api_on(open_services(Settings(database_url=f"sqlite:///{tmp_path}/h.db"), clock=clock), clock)
    headers = api.as_("intake", **{"Idempotency-Key": "same"})
    body = bodies.drain(external_ref=None)
    start = threading.Barrier(6)

    def post() -> int:
        start.wait()
        status: int = api.client.post("/v1/tickets", json=body, headers=headers).status_code
        return status

    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(lambda _: post(), range(6)))

    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}
    assert len(api.services.app.recorder.select_notifications(start=None, limit=10)) == 1


def test_a_revoked_key_is_not_replayed_what_it_once_recorded(api: Api) -> None:
    headers = api.as_("intake", **{"Idempotency-Key": "rev-1"})
    assert api.client.post("/v1/tickets", json=bodies.drain(), headers=headers).status_code == 201
    key = next(k for k in api.services.keys.all() if k.name == "centre-1")
    api.services.keys.revoke(key.id, api.clock())

    retried = api.client.post("/v1/tickets", json=bodies.drain(), headers=headers)

    assert retried.status_code == 401
    assert "魏" not in retried.text
    assert "idempotent-replayed" not in retried.headers
