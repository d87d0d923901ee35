"""The status board and the response audit over HTTP, read after the client's own writes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api import bodies
from tests.api.conftest import Api
from tests.builders import UNIT


def write(api: Api, path: str, body: dict[str, object], who: str) -> tuple[str, str]:
    """Record, returning the ticket id and the header that reads the board after this write."""
    reply = api.client.post(path, json=body, headers=api.as_(who))
    assert reply.status_code in (200, 201), reply.text
    return str(reply.json()["id"]), reply.headers["x-hotline-position"]


def board(api: Api, position: str, who: str = "auditor", **params: object) -> dict[str, Any]:
    headers = api.as_(who, **{"X-Hotline-Min-Position": position})
    reply = api.client.get("/v1/tickets", params=params, headers=headers)
    assert reply.status_code == 200, reply.text
    page: dict[str, Any] = reply.json()
    return page


def test_the_board_shows_a_ticket_right_after_it_was_received(api: Api) -> None:
    ticket_id, position = write(api, "/v1/tickets", bodies.drain(), "intake")

    items = board(api, position)["items"]

    assert [(row["id"], row["status"], row["responded"]) for row in items] == [(ticket_id, "received", False)]
    assert items[0]["received_at"] == "2024-01-10T09:00:00+08:00"


def test_the_board_filters_by_status_unit_and_response(api: Api) -> None:
    first, _ = write(api, "/v1/tickets", bodies.drain(), "intake")
    write(api, "/v1/tickets", bodies.drain(external_ref="JN-2", unit="营市街社区居委会"), "intake")
    _, position = write(api, f"/v1/tickets/{first}/contacts", bodies.contact(), "worker")

    responded = board(api, position, responded="true")["items"]
    elsewhere = board(api, position, unit="营市街社区居委会", status="received")["items"]

    assert [row["id"] for row in responded] == [first]
    assert [row["unit"] for row in elsewhere] == ["营市街社区居委会"]


def test_the_board_pages_with_a_cursor(api: Api) -> None:
    position = ""
    for n in range(3):
        _, position = write(api, "/v1/tickets", bodies.drain(external_ref=f"JN-{n}"), "intake")

    first = board(api, position, limit=2)
    rest = board(api, position, limit=2, cursor=first["next_cursor"])

    assert len(first["items"]) == 2
    assert len(rest["items"]) == 1
    assert rest["next_cursor"] is None


def test_a_cursor_is_only_good_for_the_filters_that_gave_it_out(api: Api) -> None:
    position = ""
    for n in range(3):
        _, position = write(api, "/v1/tickets", bodies.drain(external_ref=f"JN-{n}"), "intake")
    cursor = board(api, position, unit=UNIT, limit=1)["next_cursor"]

    same_filters_written_otherwise = board(api, position, unit=UNIT, limit=5, cursor=cursor)
    headers = api.as_("auditor", **{"X-Hotline-Min-Position": position})
    other = api.client.get("/v1/tickets", params={"status": "closed", "cursor": cursor}, headers=headers)

    assert len(same_filters_written_otherwise["items"]) == 2  # another page size is the same query
    assert other.status_code == 422
    (error,) = other.json()["errors"]
    assert error["field"] == "cursor"
    assert "given out for other filters" in error["problem"]


def test_a_findings_cursor_is_not_good_for_another_finding(api: Api) -> None:
    position = ""
    for n in range(3):
        _, position = write(api, "/v1/tickets", bodies.drain(external_ref=f"JN-{n}"), "intake")
    headers = api.as_("auditor", **{"X-Hotline-Min-Position": position})
    page = api.client.get("/v1/audit/responses/awaiting_response?limit=1", headers=headers).json()

    other = api.client.get(f"/v1/audit/responses/reworked?cursor={page['next_cursor']}", headers=headers)

    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "cursor"


def test_a_worker_sees_only_its_own_units_tickets(api: Api) -> None:
    write(api, "/v1/tickets", bodies.drain(), "intake")
    _, position = write(
        api, "/v1/tickets", bodies.drain(external_ref="JN-2", unit="营市街社区居委会"), "intake"
    )

    mine = board(api, position, who="worker")["items"]
    refused = api.client.get("/v1/tickets", params={"unit": "营市街社区居委会"}, headers=api.as_("worker"))

    assert [row["unit"] for row in mine] == [UNIT]
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=501", "status=lost", "overdue=maybe", "received_from=2024-01-01", "cursor=%%%"],
)
def test_bad_board_queries_are_422(api: Api, query: str) -> None:
    reply = api.client.get(f"/v1/tickets?{query}", headers=api.as_("auditor"))

    assert reply.status_code == 422
    assert reply.headers["content-type"] == "application/problem+json"


REVERSED = "received_from=2024-12-01T00:00%2B08:00&received_to=2024-01-01T00:00%2B08:00"
EMPTY = "received_from=2024-01-01T00:00%2B08:00&received_to=2024-01-01T00:00%2B08:00"


@pytest.mark.parametrize("path", ["/v1/tickets", "/v1/audit/responses", "/v1/audit/responses/reworked"])
@pytest.mark.parametrize("period", [REVERSED, EMPTY], ids=["reversed", "empty"])
def test_a_period_that_ends_before_it_starts_is_422_naming_its_end(api: Api, path: str, period: str) -> None:
    reply = api.client.get(f"{path}?{period}", headers=api.as_("auditor"))

    assert reply.status_code == 422
    (error,) = reply.json()["errors"]
    assert error["field"] == "query.received_to"
    assert "must be after received_from" in error["problem"]


@pytest.mark.parametrize(
    "query", ["status=received&status=closed", "unit=a&unit=b&limit=2", "cursor=x&cursor=y"]
)
def test_a_filter_given_twice_is_422_not_its_last_value(api: Api, query: str) -> None:
    reply = api.client.get(f"/v1/tickets?{query}", headers=api.as_("auditor"))

    assert reply.status_code == 422
    name = query.split("=", maxsplit=1)[0]
    assert reply.json()["errors"] == [{"field": f"query.{name}", "problem": "given more than once"}]


@pytest.mark.parametrize("said", ["yes", "1", "on", "True"])
def test_a_yes_or_no_filter_takes_only_true_or_false(api: Api, said: str) -> None:
    reply = api.client.get(f"/v1/tickets?responded={said}", headers=api.as_("auditor"))

    assert reply.status_code == 422
    assert reply.json()["errors"][0] == {
        "field": "query.responded",
        "problem": "Value error, must be true or false",
    }


def test_the_audit_counts_responses_and_lists_each_finding(api: Api) -> None:
    answered, _ = write(api, "/v1/tickets", bodies.drain(), "intake")
    waiting, _ = write(api, "/v1/tickets", bodies.drain(external_ref="JN-2"), "intake")
    _, position = write(api, f"/v1/tickets/{answered}/contacts", bodies.contact(), "worker")

    reply = api.client.get(
        "/v1/audit/responses", headers=api.as_("auditor", **{"X-Hotline-Min-Position": position})
    )

    audit = reply.json()
    assert audit["headline"]["need_response"] == 2
    assert audit["headline"]["responded"] == 1
    assert [t["ticket_id"] for t in audit["findings"]["awaiting_response"]["items"]] == [waiting]
    finding = api.client.get("/v1/audit/responses/awaiting_response", headers=api.as_("auditor")).json()
    assert [t["ticket_id"] for t in finding["items"]] == [waiting]


def test_a_findings_pages_go_on_from_the_headline_to_the_last_by_their_next_links(api: Api) -> None:
    position = ""
    waiting = []
    for n in range(5):
        ticket_id, position = write(api, "/v1/tickets", bodies.drain(external_ref=f"JN-{n}"), "intake")
        waiting.append(ticket_id)
    period = {"unit": UNIT, "received_from": "2024-01-01T00:00:00+08:00", "limit": 2}
    headers = api.as_("auditor", **{"X-Hotline-Min-Position": position})
    page = api.client.get("/v1/audit/responses", params=period, headers=headers).json()
    page = page["findings"]["awaiting_response"]
    seen = [t["ticket_id"] for t in page["items"]]

    while page["next"] is not None:
        assert page["next"].startswith("/v1/audit/responses/awaiting_response?unit=")
        page = api.client.get(page["next"], headers=headers).json()
        seen += [t["ticket_id"] for t in page["items"]]

    assert sorted(seen) == sorted(waiting)
    assert len(seen) == 5
    assert page["next_cursor"] is None


@pytest.mark.parametrize("who", ["integrator", "worker", "intake"])
def test_the_audit_is_for_auditors(api: Api, who: str) -> None:
    assert api.client.get("/v1/audit/responses", headers=api.as_(who)).status_code == 403


def test_readiness_waits_for_the_views(api: Api) -> None:
    write(api, "/v1/tickets", bodies.drain(), "intake")

    assert api.client.get("/readyz").status_code == 200
