"""The served OpenAPI document describes every operation: summary, problem responses, an example."""

from __future__ import annotations

from typing import Any

from application.seed_cases import UNIT as DEMO_UNIT
from domain.values import Role
from tests.api import bodies
from tests.api.conftest import Api, issue

COMMANDS = ("contacts", "site-visits", "coordinations", "resolution", "feedback", "praises")


def operations(api: Api) -> list[tuple[str, str, dict[str, Any]]]:
    document = api.client.get("/openapi.json").json()
    return [(path, verb, op) for path, item in document["paths"].items() for verb, op in item.items()]


def test_every_operation_of_the_contract_is_served(api: Api) -> None:
    served = {(verb.upper(), path) for path, verb, _ in operations(api)}

    expected = {("POST", "/v1/tickets"), ("GET", "/v1/tickets"), ("GET", "/v1/tickets/{ticket_id}")}
    expected |= {("POST", f"/v1/tickets/{{ticket_id}}/{c}") for c in COMMANDS}
    expected |= {("GET", "/v1/tickets/{ticket_id}/history"), ("GET", "/v1/audit/responses")}
    expected |= {("GET", "/v1/events"), ("GET", "/healthz"), ("GET", "/readyz")}
    assert expected <= served


def test_every_operation_has_a_one_line_summary_from_its_docstring(api: Api) -> None:
    for path, verb, op in operations(api):
        assert op.get("summary"), (verb, path)
        assert "\n" not in op["summary"]
        assert op["summary"] == op["description"].strip().splitlines()[0], (verb, path)  # not "Read Feed"


def test_every_v1_operation_documents_its_problems_as_rfc_9457(api: Api) -> None:
    for path, verb, op in operations(api):
        if path.startswith("/v1/"):
            assert "401" in op["responses"], (verb, path)
            assert "application/problem+json" in op["responses"]["422"]["content"], (verb, path)


def test_every_write_declares_its_idempotency_key(api: Api) -> None:
    writes = [(path, op) for path, verb, op in operations(api) if verb == "post"]

    assert len(writes) == 1 + len(COMMANDS)
    for path, op in writes:
        headers = [p["name"] for p in op.get("parameters", []) if p["in"] == "header"]
        assert headers.count("Idempotency-Key") == 1, path


def test_every_operation_shows_an_example_of_its_answer(api: Api) -> None:
    schemas = api.client.get("/openapi.json").json()["components"]["schemas"]

    def has_example(content: dict[str, Any]) -> bool:
        ref = content.get("schema", {}).get("$ref", "")
        return (
            "example" in content or "examples" in content or "examples" in schemas.get(ref.split("/")[-1], {})
        )

    for path, verb, op in operations(api):
        replies = [reply for code, reply in op["responses"].items() if code.startswith("2")]
        answers = [content for reply in replies for content in reply.get("content", {}).values()]
        assert any(has_example(content) for content in answers), (verb, path)


def test_every_write_has_a_realistic_chinese_example(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    for name in (
        "ReceiveIn",
        "ContactIn",
        "SiteVisitIn",
        "CoordinationIn",
        "ResolutionIn",
        "FeedbackIn",
        "PraiseIn",
    ):
        example = schemas[name]["examples"][0]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(example)), name


def test_the_docs_page_is_served(api: Api) -> None:
    reply = api.client.get("/docs")

    assert reply.status_code == 200
    assert "openapi.json" in reply.text


def test_the_documented_examples_handle_a_case_from_receipt_to_praise(api: Api) -> None:
    schemas = api.client.get("/openapi.json").json()["components"]["schemas"]
    intake = schemas["ReceiveIn"]["examples"][0]
    assert intake["unit"] == DEMO_UNIT  # the unit of `hotline demo` and of the README's examples
    worker = issue(api.services, Role.WORKER, intake["unit"], name="example-worker")
    api.clock.advance(days=30)  # the examples' times lie in the past of a test's clock
    ticket_id = api.client.post("/v1/tickets", json=intake, headers=api.as_("intake")).json()["id"]
    steps = [
        ("contacts", "ContactIn", worker),
        ("site-visits", "SiteVisitIn", worker),
        ("coordinations", "CoordinationIn", worker),
        ("resolution", "ResolutionIn", worker),
        ("feedback", "FeedbackIn", api.as_("intake")),
        ("praises", "PraiseIn", api.as_("intake")),
    ]

    replies = [
        api.client.post(f"/v1/tickets/{ticket_id}/{path}", json=schemas[name]["examples"][0], headers=who)
        for path, name, who in steps
    ]

    assert [(path, reply.status_code) for (path, _, _), reply in zip(steps, replies, strict=True)] == [
        (path, 201) for path, _, _ in steps
    ], [reply.text for reply in replies if reply.status_code != 201]


def test_every_operation_of_the_api_declares_the_503_any_request_to_the_store_may_get(api: Api) -> None:
    document = api.client.get("/openapi.json").json()

    for path, operations in document["paths"].items():
        for verb, operation in operations.items():
            if path.startswith("/v1/"):
                assert "Retry-After" in operation["responses"]["503"]["headers"], (verb, path)


def test_the_headers_a_command_answers_with_are_declared(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    receive = document["paths"]["/v1/tickets"]["post"]["responses"]
    contact = document["paths"]["/v1/tickets/{ticket_id}/contacts"]["post"]["responses"]
    read = document["paths"]["/v1/tickets/{ticket_id}"]["get"]["responses"]

    reply = api.client.post(
        "/v1/tickets", json=bodies.drain(), headers=api.as_("intake", **{"Idempotency-Key": "k"})
    )
    again = api.client.post(
        "/v1/tickets", json=bodies.drain(), headers=api.as_("intake", **{"Idempotency-Key": "k"})
    )

    ours = {"etag", "location", "x-hotline-position", "idempotent-replayed"}
    sent = {name for name in (*reply.headers, *again.headers) if name in ours}
    assert sent == ours
    assert {name.lower() for name in receive["201"]["headers"]} == ours
    assert receive["200"]["content"] == receive["201"]["content"]  # the existing ticket, as a receipt's
    assert {"ETag", "X-Hotline-Position", "Idempotent-Replayed"} <= set(contact["201"]["headers"])
    assert "ETag" in read["200"]["headers"]
