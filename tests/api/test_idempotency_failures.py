"""A retried request never records twice, whatever fails around the first one: the store refusing to keep
its reply, the process dying before it could, a retry overtaking a request that was only slow."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError

from application.idempotency import CLAIM_LEASE
from infrastructure.services import open_services
from infrastructure.settings import Settings
from tests.api import bodies
from tests.api.conftest import Api, api_on
from tests.api.test_commands import received
from tests.builders import T0, FakeClock
from tests.conftest import POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/hotline.db"
    else:
        url = f"{POSTGRES_URL}?schema={request.getfixturevalue('postgres_schema')}"
    clock = FakeClock(T0 + timedelta(days=1))
    services = open_services(Settings(database_url=url), clock=clock)
    yield api_on(services, clock)
    services.close()


def _failing(*args: Any, **kwargs: Any) -> None:
    raise OperationalError("database is locked")


def _versions(api: Api, ticket_id: str) -> int:
    reply = api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("admin"))
    version: int = reply.json()["version"]
    return version


def test_a_reply_that_could_not_be_kept_is_still_sent_and_its_retry_records_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket_id = received(api)
    path, headers = f"/v1/tickets/{ticket_id}/contacts", api.as_("worker", **{"Idempotency-Key": "c-1"})
    monkeypatch.setattr(api.services.idempotency, "complete", _failing)
    first = api.client.post(path, json=bodies.contact(), headers=headers)
    monkeypatch.undo()

    soon = api.client.post(path, json=bodies.contact(), headers=headers)
    api.clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)  # long after: the first request is gone
    later = api.client.post(path, json=bodies.contact(), headers=headers)

    assert first.status_code == 201
    assert soon.status_code == 409
    assert soon.json()["type"].endswith("/idempotency_in_progress")
    assert later.status_code == 409
    assert later.json()["type"].endswith("/idempotency_answer_lost")
    assert later.headers["location"] == f"/v1/tickets/{ticket_id}"
    assert _versions(api, ticket_id) == 2  # the contact, once


def test_a_slow_request_whose_key_a_retry_took_over_records_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket_id = received(api)
    path, headers = f"/v1/tickets/{ticket_id}/contacts", api.as_("worker", **{"Idempotency-Key": "c-1"})
    owner = hashlib.sha256(headers["Authorization"].encode()).hexdigest()
    store, contact = api.services.idempotency, api.services.app.contact

    def slow_contact(*args: Any, **kwargs: Any) -> Any:
        # The store kept this request waiting past its lease, and the client's retry took the key over.
        api.clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)
        held = store.claim(owner, "c-1", "", "peek", T0)  # earlier than any lease: only looks
        assert held is not None
        assert store.claim(owner, "c-1", held.fingerprint, "the-retry", api.clock()) is None
        return contact(*args, **kwargs)

    monkeypatch.setattr(api.services.app, "contact", slow_contact)
    first = api.client.post(path, json=bodies.contact(), headers=headers)
    monkeypatch.undo()

    assert first.status_code == 409
    assert first.json()["type"].endswith("/idempotency_superseded")
    assert _versions(api, ticket_id) == 1  # nothing of the slow one
    api.clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)  # the retry that took over died too
    last = api.client.post(path, json=bodies.contact(), headers=headers)
    assert last.status_code == 201
    assert _versions(api, ticket_id) == 2


def test_a_store_that_cannot_claim_the_key_is_503_not_500(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket_id = received(api)
    path, headers = f"/v1/tickets/{ticket_id}/contacts", api.as_("worker", **{"Idempotency-Key": "c-1"})
    monkeypatch.setattr(api.services.idempotency, "claim", _failing)

    reply = api.client.post(path, json=bodies.contact(), headers=headers)

    assert reply.status_code == 503
    assert reply.json()["type"].endswith("/store_unavailable")
    assert reply.headers["retry-after"] == "1"
    assert _versions(api, ticket_id) == 1


def test_the_key_belongs_to_the_api_key_however_its_scheme_is_written(api: Api) -> None:
    ticket_id = received(api)
    path = f"/v1/tickets/{ticket_id}/contacts"
    secret = api.as_("worker")["Authorization"].removeprefix("Bearer ")

    replies = [
        api.client.post(
            path,
            json=bodies.contact(),
            headers={"Authorization": f"{scheme} {secret}", "Idempotency-Key": "c"},
        )
        for scheme in ("Bearer", "bearer", "BEARER")
    ]

    assert [r.status_code for r in replies] == [201, 201, 201]
    assert [r.headers.get("idempotent-replayed") for r in replies] == [None, "true", "true"]
    assert _versions(api, ticket_id) == 2


def test_a_keyed_write_whose_api_key_cannot_be_checked_is_503_and_never_runs_unclaimed(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket_id = received(api)
    path, headers = f"/v1/tickets/{ticket_id}/contacts", api.as_("worker", **{"Idempotency-Key": "c-1"})
    keys, failures = api.services.keys, [OperationalError("Timed out waiting for connection pool")]
    recognise = keys.recognise

    def busy_once(secret: str) -> object:
        if failures:
            raise failures.pop()
        return recognise(secret)

    monkeypatch.setattr(keys, "recently_recognised", lambda secret: None)
    monkeypatch.setattr(keys, "recognise", busy_once)  # the route's own check a moment later succeeds
    first = api.client.post(path, json=bodies.contact(), headers=headers)
    retried = api.client.post(path, json=bodies.contact(), headers=headers)
    again = api.client.post(path, json=bodies.contact(), headers=headers)

    assert first.status_code == 503
    assert first.json()["type"].endswith("/store_unavailable")
    assert (retried.status_code, again.headers.get("idempotent-replayed")) == (201, "true")
    assert _versions(api, ticket_id) == 2
