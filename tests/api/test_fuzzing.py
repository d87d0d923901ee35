"""schemathesis against the served OpenAPI document: no 5xx, and every response matches its schema."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from infrastructure.services import open_services
from infrastructure.settings import Settings
from tests.api import bodies
from tests.api.conftest import api_on
from tests.builders import T0, FakeClock

clock = FakeClock(T0 + timedelta(days=1))
api = api_on(open_services(Settings(database_url="memory://"), clock=clock), clock)
schema = schemathesis.openapi.from_asgi("/openapi.json", api.client.app)
# Most ids a fuzzer invents name no ticket; aim its commands and queries at a real one instead.
SEEDED = api.client.post("/v1/tickets", json=bodies.drain(), headers=api.as_("admin")).json()["id"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# A quarter of the profile's examples per operation (50 in CI, 1,250 in the thorough run), new ones each
# run. Only slowness is excused: each example is a whole request through the app.
@schema.parametrize()
@settings(
    max_examples=max(12, settings().max_examples // 4),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
def test_no_request_the_schema_allows_breaks_the_api(
    case: schemathesis.Case[APIOperation[Any, Any, Any, Any]],
) -> None:
    if case.path_parameters and "ticket_id" in case.path_parameters:
        case.path_parameters["ticket_id"] = SEEDED
    case.call_and_validate(headers=api.as_("admin"), checks=CHECKS)
