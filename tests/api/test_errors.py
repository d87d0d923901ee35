"""Every failure is an RFC 9457 problem; nothing a client sends produces a 500."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder

from infrastructure.services import open_services
from infrastructure.settings import Settings
from tests.api import bodies
from tests.api.conftest import Api, api_on
from tests.api.test_commands import received
from tests.builders import T0, FakeClock
from tests.conftest import POSTGRES_URL

PROBLEM = "application/problem+json"


def test_a_request_without_a_key_is_401(api: Api) -> None:
    reply = api.client.get("/v1/events")

    assert reply.status_code == 401
    assert reply.headers["content-type"] == PROBLEM
    assert reply.headers["www-authenticate"] == "Bearer"


def test_an_unknown_key_is_401(api: Api) -> None:
    assert api.client.get("/v1/events", headers={"Authorization": "Bearer hk_nope"}).status_code == 401


def test_a_revoked_key_is_401(api: Api) -> None:
    key = next(k for k in api.services.keys.all() if k.name == "city-platform")
    api.services.keys.revoke(key.id, api.clock())

    assert api.client.get("/v1/events", headers=api.as_("integrator")).status_code == 401


def test_a_broken_lifecycle_rule_is_409_naming_the_rule(api: Api) -> None:
    ticket_id = received(api)

    reply = api.client.post(
        f"/v1/tickets/{ticket_id}/resolution", json=bodies.resolution(), headers=api.as_("worker")
    )

    assert reply.status_code == 409
    problem = reply.json()
    assert problem["rule"] == "no_outcome_without_response"
    assert problem["type"].endswith("/no_outcome_without_response")
    assert problem["title"]
    assert problem["detail"]


def test_a_domain_input_error_is_422_naming_the_field(api: Api) -> None:
    reply = api.client.post("/v1/tickets", json=bodies.drain(summary="   "), headers=api.as_("intake"))

    assert reply.status_code == 422
    assert reply.json()["errors"] == [{"field": "summary", "problem": "must not be empty"}]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"occurred_at": "2024-01-10T09:00:00"}, "occurred_at"),
        ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at"),
        ({"location": {"address": "x"}}, "location.community"),
        ({"unexpected": 1}, "unexpected"),
        ({"urgency": 7}, "urgency"),
        ({"caller": {"name": "魏女士", "confidential": "yes"}}, "caller.confidential"),
    ],
)
def test_a_body_that_breaks_the_schema_is_422_naming_the_field(
    api: Api, change: dict[str, object], field: str
) -> None:
    reply = api.client.post("/v1/tickets", json=bodies.drain(**change), headers=api.as_("intake"))

    assert reply.status_code == 422
    assert reply.headers["content-type"] == PROBLEM
    assert field in [error["field"] for error in reply.json()["errors"]]


@pytest.mark.parametrize("said", ["yes", "true", 1, "1", None])
def test_a_yes_or_no_answer_must_be_true_or_false(api: Api, said: object) -> None:
    ticket_id = api.client.post("/v1/tickets", json=bodies.drain(), headers=api.as_("intake")).json()["id"]
    before = api.services.app.recorder.max_notification_id()

    body = bodies.contact() | {"reached": said}
    reply = api.client.post(f"/v1/tickets/{ticket_id}/contacts", json=body, headers=api.as_("worker"))

    assert reply.status_code == 422
    assert [error["field"] for error in reply.json()["errors"]] == ["reached"]
    assert api.services.app.recorder.max_notification_id() == before


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{", "application/json"),
        (b"\xff\xfe{}", "application/json"),
        (b"summary=x", "text/plain"),
        (b"", ""),
    ],
)
def test_a_body_that_is_not_json_is_a_client_error(api: Api, content: bytes, content_type: str) -> None:
    headers = api.as_("intake", **({"Content-Type": content_type} if content_type else {}))

    reply = api.client.post("/v1/tickets", content=content, headers=headers)

    assert reply.status_code in (400, 422)
    assert reply.headers["content-type"] == PROBLEM


def test_json_sent_as_another_content_type_is_told_so(api: Api) -> None:
    headers = api.as_("intake", **{"Content-Type": "text/plain"})

    reply = api.client.post("/v1/tickets", content=json.dumps(bodies.drain()), headers=headers)

    assert reply.status_code == 422
    assert reply.json()["errors"] == [
        {
            "field": "body",
            "problem": "must be JSON sent with Content-Type: application/json (it came as text/plain)",
        }
    ]


def test_a_body_of_thousands_of_unknown_fields_is_answered_with_a_short_problem(api: Api) -> None:
    body = bodies.drain() | {f"k{n}": 1 for n in range(5000)}
    before = api.services.app.recorder.max_notification_id()

    reply = api.client.post("/v1/tickets", json=body, headers=api.as_("intake"))

    problem = reply.json()
    assert reply.status_code == 422
    assert len(problem["errors"]) == 50
    assert problem["more_errors"] == 4950
    assert len(reply.content) < 20_000
    assert api.services.app.recorder.max_notification_id() == before


def test_a_huge_body_is_413(api: Api) -> None:
    reply = api.client.post("/v1/tickets", content=b"[" * (2 * 1024 * 1024), headers=api.as_("intake"))

    assert reply.status_code == 413
    assert reply.headers["content-type"] == PROBLEM


def test_an_unknown_route_is_404_and_a_wrong_method_405(api: Api) -> None:
    missing = api.client.get("/v1/nothing-here")
    wrong = api.client.delete("/v1/events")

    assert (missing.status_code, wrong.status_code) == (404, 405)
    assert missing.headers["content-type"] == wrong.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    "query", ["version=0", "version=-1", "version=99999999999999999999", "version=x", "as_of=yesterday"]
)
def test_out_of_range_query_values_are_422(api: Api, query: str) -> None:
    ticket_id = received(api)

    reply = api.client.get(f"/v1/tickets/{ticket_id}?{query}", headers=api.as_("admin"))

    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"].startswith("query.")


def test_a_malformed_ticket_id_is_422(api: Api) -> None:
    assert api.client.get("/v1/tickets/not-a-uuid/history", headers=api.as_("admin")).status_code == 422


def test_a_malformed_ticket_id_is_reported_once(api: Api) -> None:
    reply = api.client.post("/v1/tickets/nope/praises", json=bodies.praise(), headers=api.as_("intake"))

    assert reply.status_code == 422
    assert [error["field"] for error in reply.json()["errors"]] == ["path.ticket_id"]


def test_a_feed_position_out_of_range_is_422(api: Api) -> None:
    reply = api.client.get("/v1/events?after=99999999999999999999999", headers=api.as_("integrator"))

    assert reply.status_code == 422


@pytest.mark.parametrize("given_as", ["after", "cursor"])
def test_a_feed_position_beyond_the_logs_end_is_refused_not_answered_with_an_empty_page(
    api: Api, given_as: str
) -> None:
    received(api)
    end = api.services.app.recorder.max_notification_id()

    at_the_end = api.client.get(f"/v1/events?{given_as}={end}", headers=api.as_("integrator"))
    beyond = api.client.get(f"/v1/events?{given_as}=9999", headers=api.as_("integrator"))

    assert at_the_end.status_code == 200
    assert at_the_end.json()["items"] == []
    assert beyond.status_code == 422
    (error,) = beyond.json()["errors"]
    assert error == {"field": given_as, "problem": f"is beyond the log's last position ({end})"}


def test_malformed_json_names_the_body_and_where_it_breaks(api: Api) -> None:
    reply = api.client.post(
        "/v1/tickets",
        content=b'{"kind": "help",',
        headers=api.as_("intake", **{"Content-Type": "application/json"}),
    )

    assert reply.status_code == 422
    [error] = reply.json()["errors"]
    assert error["field"] == "body"
    assert error["problem"].startswith("is not valid JSON at character")


@pytest.mark.parametrize(
    "failure", [OperationalError("connection refused"), InterfaceError("connection closed")]
)
def test_a_store_that_cannot_answer_is_503_with_retry_after_and_records_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    ticket_id = received(api)
    recorder = api.services.app.recorder
    before = recorder.max_notification_id()

    def unavailable(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(recorder, "select_events", unavailable)
    read = api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("worker"))
    write = api.client.post(
        f"/v1/tickets/{ticket_id}/contacts", json=bodies.contact(), headers=api.as_("worker")
    )
    monkeypatch.undo()

    for reply in (read, write):
        assert reply.status_code == 503
        assert reply.headers["retry-after"] == "1"
        assert reply.json()["type"].endswith("/store_unavailable")
    assert recorder.max_notification_id() == before


def test_a_request_that_finds_no_free_postgres_connection_is_503(postgres_schema: str) -> None:
    clock = FakeClock(T0 + timedelta(days=1))
    url = f"{POSTGRES_URL}?schema={postgres_schema}&pool_size=1&max_overflow=0&connect_timeout=1"
    services = open_services(Settings(database_url=url), clock=clock)
    try:
        api = api_on(services, clock)
        ticket_id = received(api)
        recorder = services.app.recorder
        assert isinstance(recorder, PostgresApplicationRecorder)

        with recorder.datastore.get_connection():  # the pool's only connection, held elsewhere
            reply = api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("worker"))

        assert reply.status_code == 503
        assert reply.json()["type"].endswith("/store_unavailable")
        assert api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("worker")).status_code == 200
    finally:
        services.close()


@pytest.mark.parametrize(
    "path",
    [
        "/v1/tickets?unit=%00",
        "/v1/tickets?community=a%00b&category=x",
        "/v1/tickets?external_ref=JN%00",
        "/v1/audit/responses?unit=%00",
        "/v1/audit/responses/reworked?unit=%00",
    ],
)
def test_a_nul_character_in_a_query_is_422_on_postgres_too(postgres_schema: str, path: str) -> None:
    clock = FakeClock(T0 + timedelta(days=1))
    services = open_services(Settings(database_url=f"{POSTGRES_URL}?schema={postgres_schema}"), clock=clock)
    try:
        api = api_on(services, clock)

        reply = api.client.get(path, headers=api.as_("admin"))

        assert reply.status_code == 422
        (error,) = reply.json()["errors"]
        assert error["problem"] == "holds a NUL character"
        assert path.split("?")[1].split("=", maxsplit=1)[0] in error["field"]
    finally:
        services.close()


def test_an_unknown_category_is_refused_with_the_categories_listed(api: Api) -> None:
    reply = api.client.post(
        "/v1/tickets", json=bodies.drain(category="housing.light"), headers=api.as_("intake")
    )

    (error,) = reply.json()["errors"]
    assert reply.status_code == 422
    assert error["field"] == "category"
    assert "unknown category 'housing.light'" in error["problem"]
    assert "housing.lighting" in error["problem"]
