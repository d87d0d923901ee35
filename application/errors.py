"""Why a use case could not be carried out, beyond the domain's own rule errors."""

from __future__ import annotations

from uuid import UUID


class TicketNotFoundError(LookupError):
    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(f"No ticket {reference}.")


class StaleVersionError(Exception):
    """The client decided on a version of the ticket that is no longer the current one."""

    def __init__(self, ticket_id: UUID, expected: int, actual: int) -> None:
        self.ticket_id = ticket_id
        self.expected = expected
        self.actual = actual
        super().__init__(f"Ticket {ticket_id} is at version {actual}, not {expected}.")


class ConcurrentUpdateError(Exception):
    """Other writers kept changing the ticket while this command was being decided; retry."""

    def __init__(self, ticket_id: UUID, attempts: int) -> None:
        self.ticket_id = ticket_id
        self.attempts = attempts
        super().__init__(f"Ticket {ticket_id} kept changing during {attempts} attempts.")
