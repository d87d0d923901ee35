"""One contract for the key and idempotency stores, held by the in-memory, SQLite and PostgreSQL ones."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from application.idempotency import CLAIM_LEASE, Claim, Reply
from domain.values import Role
from infrastructure.services import Services, open_services
from infrastructure.settings import Settings
from infrastructure.stores import Store
from tests.builders import T0

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

    assert store.claim("owner", "k", "f1", T0) is None
    assert store.claim("owner", "k", "f1", T0) == Claim("f1", None)
    store.complete("owner", "k", REPLY)
    assert store.claim("owner", "k", "f2", T0) == Claim("f1", REPLY)
    assert store.claim("other-owner", "k", "f1", T0) is None


def test_a_released_claim_can_be_taken_again(services: Services) -> None:
    store = services.idempotency
    store.claim("owner", "k", "f1", T0)

    store.release("owner", "k")

    assert store.claim("owner", "k", "f1", T0) is None


def test_an_unfinished_claim_is_taken_over_after_its_lease(services: Services) -> None:
    store = services.idempotency
    store.claim("owner", "k", "f1", T0)

    assert store.claim("owner", "k", "f1", T0 + CLAIM_LEASE / 2) is not None
    assert store.claim("owner", "k", "f1", T0 + CLAIM_LEASE + timedelta(seconds=1)) is None


def test_concurrent_claims_of_one_key_let_exactly_one_through(durable_store: Store) -> None:
    services = services_on(durable_store)
    winners: list[bool] = []
    start = threading.Barrier(8)

    def claim() -> None:
        start.wait()
        winners.append(services.idempotency.claim("owner", "k", "f", T0) is None)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert winners.count(True) == 1


def test_keys_survive_a_restart(durable_store: Store) -> None:
    _, secret = services_on(durable_store).keys.issue(Role.ADMIN, (), "root", T0)

    assert services_on(durable_store).keys.recognise(secret) is not None
