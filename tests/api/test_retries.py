"""Idempotency-Key, ETag and If-Match: retries and races never record twice or overwrite blindly."""

from __future__ import annotations

from tests.api import bodies
from tests.api.conftest import Api
from tests.api.test_commands import received


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


def test_the_same_key_with_another_body_is_422(api: Api) -> None:
    ticket_id = received(api)
    path, headers = f"/v1/tickets/{ticket_id}/contacts", api.as_("worker", **{"Idempotency-Key": "c-1"})
    api.client.post(path, json=bodies.contact(), headers=headers)

    reply = api.client.post(path, json=bodies.contact(reached=False), headers=headers)

    assert reply.status_code == 422
    assert reply.json()["type"].endswith("/idempotency_key_reused")


def test_a_refused_command_is_replayed_as_refused(api: Api) -> None:
    ticket_id = received(api)
    path, headers = f"/v1/tickets/{ticket_id}/resolution", api.as_("worker", **{"Idempotency-Key": "r-1"})

    first = api.client.post(path, json=bodies.resolution(), headers=headers)
    again = api.client.post(path, json=bodies.resolution(), headers=headers)

    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()


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


def test_an_if_match_that_names_no_version_is_412(api: Api) -> None:
    ticket_id = received(api)

    reply = api.client.post(
        f"/v1/tickets/{ticket_id}/coordinations",
        json=bodies.coordination(),
        headers=api.as_("worker", **{"If-Match": "abc"}),
    )

    assert reply.status_code == 412
