"""Reading a ticket now and as it was, its history and the global feed, masked by role."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api import bodies
from tests.api.conftest import Api
from tests.api.test_board import board, write
from tests.api.test_commands import received


def handled(api: Api) -> str:
    ticket_id = received(api)
    api.client.post(
        f"/v1/tickets/{ticket_id}/coordinations", json=bodies.coordination(30), headers=api.as_("worker")
    )
    api.clock.advance(minutes=5)
    api.client.post(f"/v1/tickets/{ticket_id}/contacts", json=bodies.contact(40), headers=api.as_("worker"))
    return ticket_id


def test_a_ticket_has_every_named_field(api: Api) -> None:
    ticket = api.client.get(f"/v1/tickets/{handled(api)}", headers=api.as_("admin")).json()

    named = "id external_ref status version kind category urgency summary location caller unit received_at"
    named += " responded_at resolved_at closed_at outcome satisfaction rework_count praise_count deadlines"
    assert set(named.split()) <= set(ticket)
    assert ticket["responded_at"] == "2024-01-10T09:40:00+08:00"
    assert ticket["deadlines"]["respond_by"].endswith("+08:00")


def test_a_ticket_as_it_was_after_its_first_event(api: Api) -> None:
    ticket_id = handled(api)

    reply = api.client.get(f"/v1/tickets/{ticket_id}?version=1", headers=api.as_("admin"))

    assert reply.json()["status"] == "received"
    assert reply.headers["etag"] == '"1"'


def test_a_version_the_ticket_never_reached_is_404(api: Api) -> None:
    assert (
        api.client.get(f"/v1/tickets/{handled(api)}?version=9", headers=api.as_("admin")).status_code == 404
    )


def test_a_ticket_as_of_a_business_time(api: Api) -> None:
    ticket_id = handled(api)

    reply = api.client.get(
        f"/v1/tickets/{ticket_id}", params={"as_of": bodies.at(35)}, headers=api.as_("admin")
    )

    assert reply.json()["version"] == 2
    assert reply.json()["responded_at"] is None


def test_a_ticket_as_known_at_a_recording_time(api: Api) -> None:
    ticket_id = handled(api)
    before_contact = (api.clock() - timedelta(minutes=1)).isoformat()

    reply = api.client.get(
        f"/v1/tickets/{ticket_id}", params={"known_at": before_contact}, headers=api.as_("admin")
    )

    assert reply.json()["version"] == 2


def test_a_ticket_before_it_was_received_is_404(api: Api) -> None:
    reply = api.client.get(
        f"/v1/tickets/{handled(api)}", params={"as_of": bodies.at(-60)}, headers=api.as_("admin")
    )

    assert reply.status_code == 404


def test_history_lists_every_event_oldest_first(api: Api) -> None:
    items = api.client.get(f"/v1/tickets/{handled(api)}/history", headers=api.as_("auditor")).json()["items"]

    assert [(e["version"], e["type"]) for e in items] == [
        (1, "received"),
        (2, "coordinated"),
        (3, "contacted"),
    ]
    assert items[1]["data"]["party"] == {"name": "城肥一处", "code": "sewer"}
    assert items[2]["occurred_at"] == "2024-01-10T09:40:00+08:00"


def test_history_can_stop_at_a_version_or_a_time(api: Api) -> None:
    ticket_id = handled(api)
    path, headers = f"/v1/tickets/{ticket_id}/history", api.as_("auditor")

    assert len(api.client.get(path, params={"version": 2}, headers=headers).json()["items"]) == 2
    assert len(api.client.get(path, params={"as_of": bodies.at(10)}, headers=headers).json()["items"]) == 1


@pytest.mark.parametrize("who", ["auditor", "integrator", "worker"])
def test_personal_data_is_masked_for_readers(api: Api, who: str) -> None:
    ticket_id = handled(api)

    ticket = api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_(who)).json()
    history = api.client.get(f"/v1/tickets/{ticket_id}/history", headers=api.as_(who)).json()["items"]

    assert ticket["caller"] == {"name": "魏**", "phone": "138****1234", "confidential": False}
    assert history[0]["data"]["caller"]["phone"] == "138****1234"
    assert history[2]["data"]["note"] == "已联系魏**"  # the caller's name, typed into a later note


@pytest.mark.parametrize(("who", "shown"), [("worker", "魏**"), ("auditor", "魏**"), ("intake", "魏女士")])
def test_the_board_masks_the_callers_name_in_a_summary_as_the_ticket_does(
    api: Api, who: str, shown: str
) -> None:
    ticket_id, position = write(api, "/v1/tickets", bodies.drain(summary="魏女士反映下水管道堵塞"), "intake")

    listed = board(api, position, who)["items"]
    ticket = api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_(who)).json()

    assert listed[0]["summary"] == ticket["summary"] == f"{shown}反映下水管道堵塞"


def test_phone_numbers_and_the_callers_name_in_free_text_are_masked_for_readers(api: Api) -> None:
    written = "魏女士（13812341234）反映，物业电话0531-86123456"
    body = bodies.drain(summary="下水管道堵塞，回电13912345678", description=written)
    ticket_id, position = write(api, "/v1/tickets", body, "intake")

    ticket = api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("worker")).json()
    history = api.client.get(f"/v1/tickets/{ticket_id}/history", headers=api.as_("worker")).json()["items"]
    listed = board(api, position, "worker")["items"]
    as_written = api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("intake")).json()

    assert (
        ticket["description"]
        == history[0]["data"]["description"]
        == "魏**（138****1234）反映，物业电话053****3456"
    )
    assert (
        ticket["summary"]
        == history[0]["data"]["summary"]
        == listed[0]["summary"]
        == "下水管道堵塞，回电139****5678"
    )
    assert as_written["description"] == written


def test_the_place_a_ticket_names_is_masked_for_readers_as_its_free_text_is(api: Api) -> None:
    place = {"address": "明星北区14号楼 魏女士家 电话0531-8765-4321", "community": "明星社区",
             "building": "14号楼 13812345678"}  # fmt: skip
    ticket_id, _ = write(api, "/v1/tickets", bodies.drain(location=place), "intake")

    ticket = api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("worker")).json()
    history = api.client.get(f"/v1/tickets/{ticket_id}/history", headers=api.as_("auditor")).json()["items"]
    as_written = api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("intake")).json()

    shown = {"address": "明星北区14号楼 魏**家 电话053****4321", "community": "明星社区",
             "building": "14号楼 138****5678", "lat": None, "lon": None}  # fmt: skip
    assert ticket["location"] == shown
    assert {k: v for k, v in history[0]["data"]["location"].items() if v is not None} == {
        k: v for k, v in shown.items() if v is not None
    }
    assert as_written["location"]["address"] == place["address"]


@pytest.mark.parametrize("who", ["intake", "admin"])
def test_personal_data_is_shown_to_the_centre_and_administrators(api: Api, who: str) -> None:
    ticket_id = handled(api)
    ticket = api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_(who)).json()
    history = api.client.get(f"/v1/tickets/{ticket_id}/history", headers=api.as_(who)).json()["items"]

    assert ticket["caller"]["name"] == "魏女士"
    assert history[2]["data"]["note"] == "已联系魏女士"


def test_a_worker_may_not_read_another_units_ticket(api: Api) -> None:
    ticket_id = handled(api)

    assert api.client.get(f"/v1/tickets/{ticket_id}", headers=api.as_("other_worker")).status_code == 403
    assert (
        api.client.get(f"/v1/tickets/{ticket_id}/history", headers=api.as_("other_worker")).status_code == 403
    )


@pytest.mark.parametrize(
    "query",
    [
        {"version": 100},
        {"version": 1},
        {"as_of": "2020-01-01T00:00:00+08:00"},
        {"known_at": "2020-01-01T00:00:00+08:00"},
    ],
)
def test_another_units_worker_learns_nothing_of_a_tickets_versions_or_times(
    api: Api, query: dict[str, object]
) -> None:
    ticket_id = handled(api)

    reply = api.client.get(f"/v1/tickets/{ticket_id}", params=query, headers=api.as_("other_worker"))

    assert reply.status_code == 403
    assert "version" not in reply.json()["detail"]


def test_the_feed_lists_events_in_commit_order_with_positions_and_masked_callers(api: Api) -> None:
    handled(api)
    received(api, external_ref="JN12345-20240110-0043")

    items = api.client.get("/v1/events", headers=api.as_("integrator")).json()["items"]

    positions = [item["position"] for item in items]
    assert positions == sorted(positions)
    assert len(positions) == 4
    assert [item["type"] for item in items] == ["received", "coordinated", "contacted", "received"]
    assert items[0]["data"]["caller"]["name"] == "魏**"
    assert items[2]["data"]["note"] == "已联系魏**"


def test_the_feed_resumes_after_a_position(api: Api) -> None:
    handled(api)
    first = api.client.get("/v1/events?limit=2", headers=api.as_("integrator")).json()

    rest = api.client.get(f"/v1/events?after={first['last_position']}", headers=api.as_("integrator")).json()

    assert first["next_cursor"] == str(first["last_position"])
    assert [e["type"] for e in first["items"] + rest["items"]] == ["received", "coordinated", "contacted"]
    assert rest["next_cursor"] is None
    assert rest["items"][0]["data"]["note"] == "已联系魏**"  # its intake is on the page before: read anew


def test_a_poller_at_the_end_of_the_log_keeps_its_place(api: Api) -> None:
    handled(api)
    end = api.client.get("/v1/events", headers=api.as_("integrator")).json()["last_position"]

    polled = api.client.get(f"/v1/events?after={end}", headers=api.as_("integrator")).json()

    assert polled == {"items": [], "next_cursor": None, "last_position": end}


def test_the_feed_takes_after_or_cursor_not_both(api: Api) -> None:
    reply = api.client.get("/v1/events?after=5&cursor=10", headers=api.as_("integrator"))

    assert reply.status_code == 422
    assert reply.json()["errors"] == [
        {"field": "query.cursor", "problem": "give `after` or `cursor`, not both: they say the same"}
    ]


def test_every_time_in_a_history_and_the_feed_is_given_in_the_deployments_zone(api: Api) -> None:
    in_utc = bodies.drain(occurred_at="2024-01-10T01:00:00+00:00")  # deadlines computed from it, in UTC
    ticket_id, _ = write(api, "/v1/tickets", in_utc, "intake")

    history = api.client.get(f"/v1/tickets/{ticket_id}/history", headers=api.as_("auditor")).json()["items"]
    fed = api.client.get("/v1/events", headers=api.as_("auditor")).json()["items"]

    for intake in (history[0], fed[0]):
        deadlines = intake["data"]["deadlines"]
        assert deadlines["respond_by"].endswith("+08:00")
        assert deadlines["resolve_by"].endswith("+08:00")
        assert intake["occurred_at"].endswith("+08:00")


def test_a_history_comes_a_page_at_a_time_like_every_list(api: Api) -> None:
    ticket_id = handled(api)  # three events
    path, headers = f"/v1/tickets/{ticket_id}/history", api.as_("auditor")

    first = api.client.get(path, params={"limit": 2}, headers=headers).json()
    rest = api.client.get(path, params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers).json()
    whole = api.client.get(path, headers=headers).json()

    assert [e["version"] for e in first["items"]] == [1, 2]
    assert [e["version"] for e in rest["items"]] == [3]
    assert (first["next_cursor"], rest["next_cursor"], whole["next_cursor"]) == ("2", None, None)
    assert rest["items"][0]["data"]["note"] == "已联系魏**"  # masked with the intake's name, not on this page


def test_the_feed_pages_by_cursor_like_every_list_and_its_last_page_says_so(api: Api) -> None:
    handled(api)  # three events
    pages, cursor = [], None
    for _ in range(5):  # a pager that ignored the cursor would go round for ever
        params = {"limit": 1} if cursor is None else {"limit": 1, "cursor": cursor}
        page = api.client.get("/v1/events", params=params, headers=api.as_("integrator")).json()
        pages.append(page)
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert [[e["type"] for e in page["items"]] for page in pages] == [
        ["received"],
        ["coordinated"],
        ["contacted"],
    ]
    assert (
        pages[-1]["last_position"] == pages[-1]["items"][0]["position"]
    )  # a full last page: null all the same


def test_a_cursor_that_is_not_a_position_is_refused(api: Api) -> None:
    reply = api.client.get("/v1/events", params={"cursor": "x1"}, headers=api.as_("integrator"))

    assert reply.status_code == 422
    assert "cursor" in reply.text


@pytest.mark.parametrize("who", ["intake", "worker"])
def test_the_feed_is_for_integrators_and_auditors(api: Api, who: str) -> None:
    assert api.client.get("/v1/events", headers=api.as_(who)).status_code == 403


def test_health_and_readiness(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok", "last_position": None, "detail": None}
    ready = api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
