"""One contract for the key and idempotency stores, held by the in-memory, SQLite and PostgreSQL ones."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from application.idempotency import (
    CLAIM_LEASE,
    Claim,
    Fence,
    FenceLostError,
    RecordedWrite,
    Reply,
    writing_under,
)
from domain.values import Role
from infrastructure.services import Services, open_services
from infrastructure.settings import Settings
from infrastructure.stores import Store
from tests.builders import CENTRE, T0, hotline_ticket

REPLY = Reply(201, (("etag", '"1"'), ("location", "/v1/tickets/x")), '{"summary": "下水管道"}'.encode())


def services_on(store: Store) -> Services:
    return open_services(Settings(database_url=_url(store)))


def _url(store: Store) -> str:
    env = store.env
    if store.kind == "memory":
        return "memory://"
    if store.kind == "sqlite":
        return f"sqlite:///{env['SQLITE_DBNAME']}"
    user, host, port, db = (
        env["POSTGRES_USER"],
        env["POSTGRES_HOST"],
        env["POSTGRES_PORT"],
        env["POSTGRES_DBNAME"],
    )
    return f"postgresql://{user}@{host}:{port}/{db}?schema={env['POSTGRES_SCHEMA']}"


@pytest.fixture
def services(store: Store) -> Services:
    return services_on(store)


def test_a_key_is_recognised_by_its_secret_and_never_stored_in_clear(services: Services) -> None:
    key, secret = services.keys.issue(Role.WORKER, ("明星社区居委会",), "mabin", T0)

    assert services.keys.recognise(secret) == key
    assert services.keys.recognise(secret + "x") is None
    assert secret not in repr(services.keys.all())
    assert services.keys.all()[0].units == ("明星社区居委会",)


def test_a_revoked_key_is_no_longer_recognised(services: Services) -> None:
    key, secret = services.keys.issue(Role.AUDITOR, (), "", T0)

    assert services.keys.revoke(key.name, T0)
    assert services.keys.recognise(secret) is None
    assert not services.keys.revoke(key.id, T0)
    assert services.keys.all()[0].revoked_at == T0


def test_the_first_claim_of_a_key_wins_and_later_ones_see_it(services: Services) -> None:
    store = services.idempotency

    assert store.claim("owner", "k", "f1", "t1", T0) is None
    assert store.claim("owner", "k", "f1", "t2", T0) == Claim("f1", None)
    store.complete("owner", "k", "t1", REPLY)
    assert store.claim("owner", "k", "f2", "t3", T0) == Claim("f1", REPLY)
    assert store.claim("other-owner", "k", "f1", "t4", T0) is None


def test_a_released_claim_can_be_taken_again_and_only_its_holder_releases_it(services: Services) -> None:
    store = services.idempotency
    store.claim("owner", "k", "f1", "t1", T0)

    store.release("owner", "k", "someone-else")
    assert store.claim("owner", "k", "f1", "t2", T0) is not None
    store.release("owner", "k", "t1")

    assert store.claim("owner", "k", "f1", "t2", T0) is None


def test_an_unfinished_claim_is_taken_over_after_its_lease(services: Services) -> None:
    store = services.idempotency
    store.claim("owner", "k", "f1", "t1", T0)

    assert store.claim("owner", "k", "f1", "t2", T0 + CLAIM_LEASE / 2) is not None
    assert store.claim("owner", "k", "f1", "t2", T0 + CLAIM_LEASE + timedelta(seconds=1)) is None


def test_a_fenced_write_marks_its_claim_recorded_in_the_same_transaction(services: Services) -> None:
    store, app = services.idempotency, services.app
    store.claim("owner", "k", "f1", "t1", T0)

    with writing_under(Fence("owner", "k", "t1")):
        recorded = app.receive(hotline_ticket(), CENTRE)

    later = T0 + CLAIM_LEASE + timedelta(seconds=1)
    seen = store.claim("owner", "k", "f1", "t2", later)  # never completed: the process died, say
    assert seen == Claim(
        "f1", None, RecordedWrite(recorded.ticket.id, app.recorder.max_notification_id() or 0), stale=True
    )
    store.release("owner", "k", "t1")  # a recorded claim is never released, nor taken over
    assert store.claim("owner", "k", "f1", "t3", later) == seen


def test_a_write_whose_claim_was_taken_over_records_nothing(services: Services) -> None:
    store, app = services.idempotency, services.app
    store.claim("owner", "k", "f1", "t1", T0)
    assert store.claim("owner", "k", "f1", "t2", T0 + CLAIM_LEASE + timedelta(seconds=1)) is None
    before = app.recorder.max_notification_id()

    with writing_under(Fence("owner", "k", "t1")), pytest.raises(FenceLostError):
        app.receive(hotline_ticket(), CENTRE)  # the first request, only slow, comes back too late

    assert app.recorder.max_notification_id() == before
    with writing_under(Fence("owner", "k", "t2")):
        app.receive(hotline_ticket(), CENTRE)  # the retry that took over records, once
    with writing_under(Fence("owner", "k", "t2")), pytest.raises(FenceLostError):
        app.receive(hotline_ticket(), CENTRE)  # and never twice
    assert app.recorder.max_notification_id() == (before or 0) + 1


def test_concurrent_claims_of_one_key_let_exactly_one_through(durable_store: Store) -> None:
    services = services_on(durable_store)
    winners: list[bool] = []
    start = threading.Barrier(8)

    def claim(n: int) -> None:
        start.wait()
        winners.append(services.idempotency.claim("owner", "k", "f", f"t{n}", T0) is None)

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert winners.count(True) == 1


def test_a_table_made_by_an_earlier_release_gains_the_fences_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as db:  # as the release before fences made it
        db.execute(
            "CREATE TABLE hotline_idempotency (scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT "
            "NOT NULL, claimed_at DOUBLE PRECISION NOT NULL, status INTEGER, headers TEXT, body BLOB, "
            "PRIMARY KEY (scope, key))"
        )
        db.execute("INSERT INTO hotline_idempotency VALUES ('o', 'old', 'f', 0, 201, '[]', x'7b7d')")
        db.commit()

    services = open_services(Settings(database_url=f"sqlite:///{path}"))

    assert services.idempotency.claim("o", "old", "f", "t", T0) == Claim(
        "f", Reply(201, (), b"{}"), stale=True
    )
    assert services.idempotency.claim("o", "new", "f", "t", T0) is None


def test_keys_survive_a_restart(durable_store: Store) -> None:
    _, secret = services_on(durable_store).keys.issue(Role.ADMIN, (), "root", T0)

    assert services_on(durable_store).keys.recognise(secret) is not None
