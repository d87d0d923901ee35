"""The seven commands over HTTP: status codes, headers, and what each role may do."""

from __future__ import annotations

from uuid import UUID

import pytest

from tests.api import bodies
from tests.api.conftest import OTHER_UNIT, Api
from tests.builders import UNIT


def received(api: Api, **changes: object) -> str:
    reply = api.client.post("/v1/tickets", json=bodies.drain(**changes), headers=api.as_("intake"))
    assert reply.status_code == 201, reply.text
    return str(reply.json()["id"])


def test_receiving_a_ticket_answers_201_with_its_location_etag_and_position(api: Api) -> None:
    reply = api.client.post("/v1/tickets", json=bodies.drain(), headers=api.as_("intake"))

    assert reply.status_code == 201
    ticket = reply.json()
    assert reply.headers["location"] == f"/v1/tickets/{ticket['id']}"
    assert reply.headers["etag"] == '"1"'
    assert int(reply.headers["x-hotline-position"]) >= 1
    assert ticket["status"] == "received"
    assert ticket["summary"] == "14号楼下水管道堵塞"
    assert ticket["received_at"] == "2024-01-10T09:00:00+08:00"
    assert ticket["caller"] == {"name": "魏女士", "phone": "13812341234", "confidential": False}


def test_the_same_external_ref_again_answers_200_with_the_existing_ticket_and_records_nothing(
    api: Api,
) -> None:
    first = api.client.post("/v1/tickets", json=bodies.drain(), headers=api.as_("intake")).json()
    before = api.services.app.recorder.max_notification_id()

    again = api.client.post("/v1/tickets", json=bodies.drain(summary="另一个摘要"), headers=api.as_("intake"))

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["summary"] == "14号楼下水管道堵塞"
    assert "x-hotline-position" not in again.headers
    assert api.services.app.recorder.max_notification_id() == before


@pytest.mark.parametrize(
    "other_order",
    [
        {"caller": {"name": "周先生", "phone": "13600000000"}},
        {"unit": "营市街社区居委会"},
        {"channel": "online"},
    ],
)
def test_an_external_ref_that_names_another_order_is_409_not_the_first_ticket(
    api: Api, other_order: dict[str, object]
) -> None:
    api.client.post("/v1/tickets", json=bodies.drain(), headers=api.as_("intake"))
    before = api.services.app.recorder.max_notification_id()

    reply = api.client.post("/v1/tickets", json=bodies.drain(**other_order), headers=api.as_("intake"))

    assert reply.status_code == 409
    assert reply.json()["type"].endswith("/external_ref_taken")
    assert api.services.app.recorder.max_notification_id() == before


def test_a_worker_cannot_claim_an_order_number_before_the_centre_sends_the_order(api: Api) -> None:
    ref = "JN12345-20240111-0001"
    claimed = api.client.post(
        "/v1/tickets", json=bodies.bench_seat(external_ref=ref), headers=api.as_("worker")
    )

    order = api.client.post("/v1/tickets", json=bodies.drain(external_ref=ref), headers=api.as_("intake"))

    assert claimed.status_code == 201
    assert order.status_code == 409  # the centre learns it at once: the order is not quietly dropped
    assert order.json()["type"].endswith("/external_ref_taken")


def test_a_worker_is_not_shown_another_units_ticket_by_opening_one_with_its_reference(api: Api) -> None:
    api.client.post("/v1/tickets", json=bodies.drain(external_ref="JN-MINE"), headers=api.as_("intake"))
    before = api.services.app.recorder.max_notification_id()
    own_unit = bodies.bench_seat(external_ref="JN-MINE", unit=OTHER_UNIT)

    reply = api.client.post("/v1/tickets", json=own_unit, headers=api.as_("other_worker"))

    assert reply.status_code == 409  # another order: the reference is taken, and nothing of it is shown
    assert "魏" not in reply.text
    assert UNIT not in reply.text  # nor whose it is
    assert api.services.app.recorder.max_notification_id() == before


def test_the_blocked_drain_is_handled_from_receipt_to_praise(api: Api) -> None:
    ticket_id = received(api)
    steps = [
        ("coordinations", bodies.coordination(), "worker", "in_progress"),
        ("contacts", bodies.contact(), "worker", "in_progress"),
        ("site-visits", bodies.site_visit(), "worker", "in_progress"),
        ("resolution", bodies.resolution(), "worker", "resolved"),
        ("feedback", bodies.feedback(), "intake", "closed"),
        ("praises", bodies.praise(), "intake", "closed"),
    ]
    for version, (path, body, who, status) in enumerate(steps, start=2):
        reply = api.client.post(f"/v1/tickets/{ticket_id}/{path}", json=body, headers=api.as_(who))
        assert reply.status_code == 201, (path, reply.text)
        assert reply.json()["status"] == status
        assert reply.headers["etag"] == f'"{version}"'
    assert reply.json()["praise_count"] == 1
    assert reply.json()["satisfaction"] == "satisfied"


def test_the_actor_of_every_event_comes_from_the_key(api: Api) -> None:
    ticket_id = received(api)
    api.client.post(
        f"/v1/tickets/{ticket_id}/coordinations", json=bodies.coordination(), headers=api.as_("worker")
    )

    history = api.client.get(f"/v1/tickets/{ticket_id}/history", headers=api.as_("admin")).json()["items"]

    assert history[0]["actor"] == {"id": "centre-1", "role": "intake", "unit": "济南12345"}
    assert history[1]["actor"] == {"id": "mabin", "role": "worker", "unit": "明星社区居委会"}


def test_a_worker_may_open_a_proactive_ticket_for_its_own_unit(api: Api) -> None:
    reply = api.client.post("/v1/tickets", json=bodies.bench_seat(), headers=api.as_("worker"))

    assert reply.status_code == 201
    assert reply.json()["channel"] == "proactive"
    assert reply.json()["caller"] is None


def test_a_worker_may_not_open_a_hotline_ticket(api: Api) -> None:
    reply = api.client.post("/v1/tickets", json=bodies.drain(), headers=api.as_("worker"))

    assert reply.status_code == 403
    assert reply.headers["content-type"] == "application/problem+json"


def test_a_worker_may_not_open_a_proactive_ticket_for_another_unit(api: Api) -> None:
    reply = api.client.post("/v1/tickets", json=bodies.bench_seat(), headers=api.as_("other_worker"))

    assert reply.status_code == 403
    assert "营市街社区居委会" in reply.json()["detail"]


def test_a_worker_may_not_act_on_another_units_ticket(api: Api) -> None:
    ticket_id = received(api)

    reply = api.client.post(
        f"/v1/tickets/{ticket_id}/contacts", json=bodies.contact(), headers=api.as_("other_worker")
    )

    assert reply.status_code == 403
    assert api.services.app.ticket(UUID(ticket_id)).version == 1


def test_readers_may_not_record_anything(api: Api) -> None:
    ticket_id = received(api)
    for who in ("auditor", "integrator"):
        assert api.client.post("/v1/tickets", json=bodies.drain(), headers=api.as_(who)).status_code == 403
        path = f"/v1/tickets/{ticket_id}/contacts"
        assert api.client.post(path, json=bodies.contact(), headers=api.as_(who)).status_code == 403


def test_the_centre_may_not_handle_and_a_worker_may_not_give_feedback(api: Api) -> None:
    ticket_id = received(api)

    handled = api.client.post(
        f"/v1/tickets/{ticket_id}/contacts", json=bodies.contact(), headers=api.as_("intake")
    )
    rated = api.client.post(
        f"/v1/tickets/{ticket_id}/feedback", json=bodies.feedback(), headers=api.as_("worker")
    )

    assert (handled.status_code, rated.status_code) == (403, 403)


def test_an_admin_may_do_everything(api: Api) -> None:
    ticket_id = received(api)

    reply = api.client.post(
        f"/v1/tickets/{ticket_id}/contacts", json=bodies.contact(), headers=api.as_("admin")
    )

    assert reply.status_code == 201
    assert reply.json()["caller"]["phone"] == "13812341234"


def test_a_command_on_an_unknown_ticket_is_404(api: Api) -> None:
    path = "/v1/tickets/00000000-0000-0000-0000-000000000000/contacts"

    reply = api.client.post(path, json=bodies.contact(), headers=api.as_("worker"))

    assert reply.status_code == 404
    assert reply.json()["type"].endswith("/ticket_not_found")
