"""Ready-made actors, times and commands, so tests say only what matters to them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from application.commands import (
    ReceiveTicket,
    RecordContact,
    RecordCoordination,
    RecordFeedback,
    RecordPraise,
    RecordSiteVisit,
    ResolveTicket,
)
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
    Role,
    Satisfaction,
    Urgency,
)

CST = timezone(timedelta(hours=8))
T0 = datetime(2024, 1, 10, 9, 0, tzinfo=CST)
UNIT = "明星社区居委会"
CENTRE = Actor("centre-1", Role.INTAKE, "济南12345")
WORKER = Actor("mabin", Role.WORKER, UNIT)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **span: float) -> datetime:
        self.now += timedelta(**span)
        return self.now


def hotline_ticket(**changes: object) -> ReceiveTicket:
    fields: dict[str, object] = {
        "channel": IntakeChannel.HOTLINE,
        "kind": Kind.HELP,
        "category": "housing.drainage",
        "urgency": Urgency.NORMAL,
        "summary": "14号楼下水管道堵塞",
        "description": "明星北区14号楼下水管道堵塞，春节前急需疏通。",
        "location": Location("明星北区14号楼", "明星社区", building="14"),
        "unit": UNIT,
        "caller": Caller("魏女士", "13812341234"),
        "external_ref": None,
        "occurred_at": T0,
    }
    fields.update(changes)
    return ReceiveTicket(**fields)  # type: ignore[arg-type]


def proactive_ticket(**changes: object) -> ReceiveTicket:
    defaults: dict[str, object] = {
        "channel": IntakeChannel.PROACTIVE,
        "caller": None,
        "category": "public.facilities",
        "summary": "广场休闲座椅松动",
        "description": "日常走访发现广场座椅松动移位。",
    }
    return hotline_ticket(**{**defaults, **changes})


def reached(at: datetime) -> RecordContact:
    return RecordContact(occurred_at=at, channel=ContactChannel.PHONE, reached=True, note="已联系")


def not_reached(at: datetime) -> RecordContact:
    return RecordContact(occurred_at=at, channel=ContactChannel.PHONE, reached=False)


def site_visit(at: datetime) -> RecordSiteVisit:
    return RecordSiteVisit(occurred_at=at, findings="现场核实情况属实", photos=("p/1.jpg",))


def coordination(at: datetime) -> RecordCoordination:
    return RecordCoordination(
        occurred_at=at, party=Party("城肥一处", "sewer"), request="疏通管道", reply="下午到场"
    )


def solved(at: datetime) -> ResolveTicket:
    return ResolveTicket(occurred_at=at, outcome=Outcome.SOLVED, reply="已疏通")


def feedback(at: datetime, satisfaction: Satisfaction | None) -> RecordFeedback:
    if satisfaction is None:
        return RecordFeedback(occurred_at=at, caller_reached=False)
    return RecordFeedback(
        occurred_at=at,
        caller_reached=True,
        contact_confirmed=True,
        solved=satisfaction is not Satisfaction.UNSATISFIED,
        satisfaction=satisfaction,
    )


def praise(at: datetime) -> RecordPraise:
    return RecordPraise(occurred_at=at, channel=PraiseChannel.HOTLINE, message="感谢社区!")


Step = Callable[[datetime], object]
