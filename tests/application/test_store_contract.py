"""What every store must keep: every event and value type, Chinese text, and every way of reading back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.commands import RecordContact, RecordCoordination, RecordPraise, ResolveTicket
from application.errors import TicketNotFoundError
from application.handling import CaseHandling
from domain.deadlines import Deadlines
from domain.ticket import Ticket
from domain.values import (
    Actor,
    Caller,
    ContactChannel,
    IntakeChannel,
    Kind,
    Location,
    Outcome,
    Party,
    PraiseChannel,
    Satisfaction,
    Status,
    Urgency,
)
from infrastructure.stores import Store
from infrastructure.wiring import open_case_handling
from tests.builders import CENTRE, T0, WORKER, FakeClock, feedback, hotline_ticket, reached, site_visit

NOTE = "魏女士说:“下水道又堵了,春节前一定要通!”"


def every_event_type(app: CaseHandling, clock: FakeClock) -> Ticket:
    """A ticket that went through all seven event types, with a rework, in Chinese."""
    ticket_id = app.receive(
        hotline_ticket(
            external_ref="JN12345-20230116-0088",
            urgency=Urgency.URGENT,
            kind=Kind.COMPLAINT,
            location=Location("明星北区14号楼", "明星社区", building="14", lat=36.6512, lon=116.9243),
            caller=Caller("魏女士", "138-1234-1234", confidential=True),
        ),
        CENTRE,
    ).ticket.id
    app.contact(ticket_id, RecordContact(clock.advance(hours=1), ContactChannel.WECHAT, True, NOTE), WORKER)
    app.visit_site(ticket_id, site_visit(clock.advance(hours=1)), WORKER)
    party = Party("城肥一处", "sewer")
    app.coordinate(ticket_id, RecordCoordination(clock.advance(hours=1), party, "疏通管道", None), WORKER)
    reason = "属燃气公司职责,已告知办理渠道"
    app.resolve(ticket_id, ResolveTicket(clock.advance(hours=1), Outcome.REFERRED, "已答复", reason), WORKER)
    app.give_feedback(ticket_id, feedback(clock.advance(days=1), Satisfaction.UNSATISFIED), CENTRE)
    app.contact(ticket_id, reached(clock.advance(hours=1)), WORKER)
    app.resolve(ticket_id, ResolveTicket(clock.advance(hours=1), Outcome.SOLVED, "已疏通"), WORKER)
    app.give_feedback(ticket_id, feedback(clock.advance(days=1), None), CENTRE)
    app.give_feedback(ticket_id, feedback(clock.advance(hours=1), Satisfaction.BASICALLY_SATISFIED), CENTRE)
    praise = RecordPraise(clock.advance(hours=1), PraiseChannel.BANNER, "送来锦旗:为民办实事", by=None)
    app.praise(ticket_id, praise, Actor("mabin", WORKER.role, WORKER.unit))
    ticket: Ticket = app.repository.get(ticket_id)
    return ticket


def test_every_event_and_value_type_comes_back_as_it_went_in(app: CaseHandling, clock: FakeClock) -> None:
    ticket = every_event_type(app, clock)

    events = [e for e in app.events.get(ticket.id) if isinstance(e, Ticket.Event)]
    assert [type(e).__name__ for e in events] == [
        "Received", "Contacted", "SiteVisited", "Coordinated", "Resolved", "FeedbackGiven",
        "Contacted", "Resolved", "FeedbackGiven", "FeedbackGiven", "Praised",
    ]  # fmt: skip
    received, contacted, _, coordinated, resolved, rated = events[:6]
    assert isinstance(received, Ticket.Received)
    assert received.kind is Kind.COMPLAINT
    assert received.channel is IntakeChannel.HOTLINE
    assert received.caller == Caller("魏女士", "138-1234-1234", confidential=True)
    assert received.location.lat == 36.6512
    assert isinstance(received.deadlines, Deadlines)
    assert received.deadlines.respond_by == T0 + timedelta(hours=2)
    assert received.occurred_at.utcoffset() == timedelta(hours=8)
    assert isinstance(contacted, Ticket.Contacted)
    assert (contacted.channel, contacted.note) == (ContactChannel.WECHAT, NOTE)
    assert isinstance(coordinated, Ticket.Coordinated)
    assert (coordinated.party, coordinated.reply) == (Party("城肥一处", "sewer"), None)
    assert isinstance(resolved, Ticket.Resolved)
    assert resolved.outcome is Outcome.REFERRED
    assert isinstance(rated, Ticket.FeedbackGiven)
    assert rated.satisfaction is Satisfaction.UNSATISFIED
    assert events[-1].actor == Actor("mabin", WORKER.role, WORKER.unit)
    assert events[-1].recorded_at == clock.now


def test_a_second_application_on_the_same_store_reads_the_same_ticket(
    durable_store: Store, clock: FakeClock
) -> None:
    writer = open_case_handling(durable_store, clock=clock)
    ticket = every_event_type(writer, clock)
    reader = open_case_handling(durable_store, clock=clock)
    try:
        assert reader.ticket(ticket.id) == writer.ticket(ticket.id)
        assert reader.history(ticket.id) == writer.history(ticket.id)
        state = reader.ticket(ticket.id)
        assert (state.status, state.rework_count, state.praise_count) == (Status.CLOSED, 1, 1)
        assert state.satisfaction is Satisfaction.BASICALLY_SATISFIED
    finally:
        reader.close()
        writer.close()


def test_the_history_lists_every_event_in_order_up_to_a_version(app: CaseHandling, clock: FakeClock) -> None:
    ticket = every_event_type(app, clock)

    history = app.history(ticket.id)
    assert [e.version for e in history] == list(range(1, 12))
    assert [e.type for e in history][:6] == [
        "received", "contacted", "site-visited", "coordinated", "resolved", "feedback-given",
    ]  # fmt: skip
    assert history[1].data == {"channel": "wechat", "reached": True, "note": NOTE}
    assert [e.type for e in app.history(ticket.id, version=3)] == ["received", "contacted", "site-visited"]
    assert app.ticket(ticket.id, version=5).status is Status.RESOLVED
    assert app.ticket(ticket.id, version=6).status is Status.IN_PROGRESS


def test_as_of_follows_business_time_and_known_at_follows_recording_time(
    app: CaseHandling, clock: FakeClock
) -> None:
    ticket_id = app.receive(hotline_ticket(), CENTRE).ticket.id
    clock.advance(hours=3)
    app.visit_site(ticket_id, site_visit(T0 + timedelta(hours=2)), WORKER)
    clock.advance(hours=1)
    app.contact(ticket_id, reached(T0 + timedelta(hours=1)), WORKER)  # entered late

    by_business_time = app.ticket(ticket_id, as_of=T0 + timedelta(hours=1, minutes=30))
    as_recorded = app.ticket(ticket_id, known_at=T0 + timedelta(hours=3, minutes=30))

    assert by_business_time.responded_at == T0 + timedelta(hours=1)
    assert by_business_time.status is Status.IN_PROGRESS
    assert as_recorded.responded_at is None
    assert as_recorded.version == 2
    with pytest.raises(TicketNotFoundError):
        app.ticket(ticket_id, as_of=T0 - timedelta(seconds=1))


def test_a_ticket_is_found_by_its_reference_or_its_id_and_nothing_else(app: CaseHandling) -> None:
    proactive_id = app.receive(
        hotline_ticket(channel=IntakeChannel.PROACTIVE, caller=None, external_ref=None), WORKER
    ).ticket.id
    hotline_id = app.receive(hotline_ticket(external_ref="JN12345-20231108-0417"), CENTRE).ticket.id

    assert app.find("JN12345-20231108-0417") == hotline_id
    assert app.find(str(proactive_id)) == proactive_id
    for unknown in ("JN12345-20231108-0418", "00000000-0000-0000-0000-000000000000", "工单"):
        with pytest.raises(TicketNotFoundError):
            app.find(unknown)
