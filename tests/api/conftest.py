"""An API on the in-memory store with a hand-moved clock, and a key for every role."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about its httpx-based TestClient
    from fastapi.testclient import TestClient

from api.http.app import create_app
from domain.values import Role
from infrastructure.services import Services, open_services
from infrastructure.settings import Settings
from tests.builders import T0, UNIT, FakeClock

OTHER_UNIT = "营市街社区居委会"


@dataclass
class Api:
    """The app under test, its services, and a ready key (Authorization headers) for each role."""

    client: TestClient
    services: Services
    clock: FakeClock
    keys: dict[str, dict[str, str]] = field(default_factory=dict)

    def as_(self, who: str, **headers: str) -> dict[str, str]:
        return self.keys[who] | headers


def issue(services: Services, role: Role, *units: str, name: str = "") -> dict[str, str]:
    _, secret = services.keys.issue(role, units, name, T0)
    return {"Authorization": f"Bearer {secret}"}


def api_on(services: Services, clock: FakeClock) -> Api:
    api = Api(TestClient(create_app(services), raise_server_exceptions=False), services, clock)
    api.keys = {
        "intake": issue(services, Role.INTAKE, "济南12345", name="centre-1"),
        "worker": issue(services, Role.WORKER, UNIT, name="mabin"),
        "other_worker": issue(services, Role.WORKER, OTHER_UNIT, name="li"),
        "auditor": issue(services, Role.AUDITOR, name="audit-1"),
        "integrator": issue(services, Role.INTEGRATOR, name="city-platform"),
        "admin": issue(services, Role.ADMIN, name="root"),
    }
    return api


@pytest.fixture
def api() -> Api:
    clock = FakeClock(T0 + timedelta(days=1))  # every seed event below lies in the past
    services = open_services(Settings(database_url="memory://"), clock=clock)
    return api_on(services, clock)
