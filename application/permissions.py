"""Who may do what: each role's operations, and the units a worker may act for."""

from __future__ import annotations

from enum import Enum

from application.keys import ApiKey
from application.privacy import SEES_PERSONAL_DATA
from domain.values import Actor, IntakeChannel, Role


class Operation(Enum):
    RECEIVE = "receive tickets"
    HANDLE = "record contacts, site visits, coordinations or resolutions"
    FEEDBACK = "record the feedback call"
    PRAISE = "record praise"
    READ_TICKETS = "read tickets"
    READ_AUDIT = "read the audit trail"
    READ_FEED = "read the event feed"


ALLOWED: dict[Role, frozenset[Operation]] = {
    Role.INTAKE: frozenset({Operation.RECEIVE, Operation.FEEDBACK, Operation.PRAISE, Operation.READ_TICKETS}),
    Role.WORKER: frozenset({Operation.RECEIVE, Operation.HANDLE, Operation.READ_TICKETS}),
    Role.AUDITOR: frozenset({Operation.READ_TICKETS, Operation.READ_AUDIT, Operation.READ_FEED}),
    Role.INTEGRATOR: frozenset({Operation.READ_TICKETS, Operation.READ_FEED}),
    Role.ADMIN: frozenset(Operation),
    Role.SYSTEM: frozenset(Operation),
}


class ForbiddenError(Exception):
    """The key's role or units do not allow the operation."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def require(key: ApiKey, operation: Operation) -> None:
    """Refuse an operation the key's role never allows."""
    if operation not in ALLOWED[key.role]:
        allowed = " or ".join(r.value for r in ALLOWED if operation in ALLOWED[r] and r is not Role.SYSTEM)
        article = "An" if key.role.value[0] in "aeiou" else "A"
        raise ForbiddenError(f"{article} {key.role.value} key may not {operation.value}; {allowed} keys may.")


def require_unit(key: ApiKey, unit: str) -> None:
    """A worker acts only for the units its key names."""
    if key.role is Role.WORKER and unit not in key.units:
        raise ForbiddenError(f"This worker key acts for {', '.join(key.units) or 'no unit'}, not {unit}.")


def require_intake_channel(key: ApiKey, channel: IntakeChannel) -> None:
    """Workers open only proactive tickets (未诉先办); only they and administrators open those."""
    if key.role is Role.WORKER and channel is not IntakeChannel.PROACTIVE:
        raise ForbiddenError("A worker key may open only proactive tickets (channel proactive).")
    if key.role is Role.INTAKE and channel is IntakeChannel.PROACTIVE:
        raise ForbiddenError("Proactive tickets are opened by the community's workers.")


def require_personal_data(key: ApiKey) -> None:
    """Only roles that see the caller in full may take it away in an export."""
    if key.role not in SEES_PERSONAL_DATA:
        raise ForbiddenError(f"A {key.role.value} key may not export personal data; ask an administrator.")


def actor_of(key: ApiKey, ticket_unit: str) -> Actor:
    """The actor recorded on an event: the key, its role, and the unit it acted for."""
    unit = ticket_unit if key.role is Role.WORKER else (key.units[0] if key.units else key.name)
    return Actor(id=key.name, role=key.role, unit=unit)


def unit_scope(key: ApiKey, requested: str | None) -> str | None:
    """The unit a list is limited to: a worker sees only its own units, naming one if it has several."""
    if key.role is not Role.WORKER:
        return requested
    if requested is None and len(key.units) == 1:
        return key.units[0]
    if requested is None:
        raise ForbiddenError(
            f"This worker key acts for several units; name one with unit= ({', '.join(key.units)})."
        )
    require_unit(key, requested)
    return requested
