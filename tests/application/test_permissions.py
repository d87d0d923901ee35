"""Who may do what: refusals say what the key may not do and whose keys may; the demo keeps to the roles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from application.commands import (
    RecordContact,
    RecordCoordination,
    RecordFeedback,
    RecordPraise,
    RecordSiteVisit,
    ResolveTicket,
)
from application.keys import ApiKey
from application.permissions import ForbiddenError, Operation, require, require_intake_channel, require_unit
from application.seed_cases import SEED_CASES
from domain.values import Actor, Role

OPERATION_OF = {
    RecordContact: Operation.HANDLE,
    RecordSiteVisit: Operation.HANDLE,
    RecordCoordination: Operation.HANDLE,
    ResolveTicket: Operation.HANDLE,
    RecordFeedback: Operation.FEEDBACK,
    RecordPraise: Operation.PRAISE,
}


def key_of(actor: Actor) -> ApiKey:
    return ApiKey(actor.id, actor.id, actor.role, (actor.unit,), datetime(2024, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("role", "operation", "said"),
    [
        (Role.INTAKE, Operation.HANDLE, "An intake key may not record contacts, site visits, coordinations "
         "or resolutions; worker or admin keys may."),
        (Role.INTEGRATOR, Operation.READ_AUDIT, "An integrator key may not read the audit trail; auditor or "
         "admin keys may."),
        (Role.WORKER, Operation.PRAISE, "A worker key may not record praise; intake or admin keys may."),
    ],
)  # fmt: skip
def test_a_refusal_says_what_the_key_may_not_do_and_whose_keys_may(
    role: Role, operation: Operation, said: str
) -> None:
    with pytest.raises(ForbiddenError) as refused:
        require(key_of(Actor("k", role, "明星社区居委会")), operation)

    assert refused.value.reason == said


def test_every_step_of_the_demo_is_one_its_actor_could_take_through_the_api() -> None:
    for scripted in SEED_CASES:
        receiver = key_of(scripted.received_by)
        require(receiver, Operation.RECEIVE)
        require_intake_channel(receiver, scripted.intake.channel)
        require_unit(receiver, scripted.intake.unit)
        for step in scripted.steps:
            require(key_of(step.actor), OPERATION_OF[type(step.command)])
            require_unit(key_of(step.actor), scripted.intake.unit)
