"""Shared fixtures: the three stores every contract suite runs on, and the hypothesis profiles."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, settings

from infrastructure.stores import Store, store_for

POSTGRES_URL = os.environ.get("HOTLINE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")

settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "thorough", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def postgres_available() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL at {POSTGRES_URL} is unreachable: {error}".strip()


def require_postgres() -> None:
    """Skip when PostgreSQL is down on a developer's machine; under CI=true that is a failure."""
    reason = postgres_available()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A fresh schema of its own for one test, dropped afterwards."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield schema
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def postgres_store(schema: str) -> Store:
    return store_for(f"{POSTGRES_URL}?schema={schema}")


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """Each of the three stores, for contract suites that must hold on all of them."""
    if request.param == "memory":
        return store_for("memory://")
    if request.param == "sqlite":
        return store_for(f"sqlite:///{tmp_path}/hotline.db")
    return postgres_store(request.getfixturevalue("postgres_schema"))


@pytest.fixture(params=["sqlite", "postgres"])
def durable_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """The two real databases, for behaviour the in-memory fake cannot show (races, restarts)."""
    if request.param == "sqlite":
        return store_for(f"sqlite:///{tmp_path}/hotline.db")
    return postgres_store(request.getfixturevalue("postgres_schema"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reaches PostgreSQL carries the `postgres` mark, so `-m "not postgres"` keeps a run off
    the database: those asking for a schema, and the PostgreSQL cases of the store fixtures' parameters."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = callspec.params.values() if callspec is not None else ()
        if "postgres_schema" in getattr(item, "fixturenames", ()) or "postgres" in params:
            item.add_marker(pytest.mark.postgres)
