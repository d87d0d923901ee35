"""Why a command was refused: every refusal names a stable rule code and a sentence a worker understands."""

from __future__ import annotations

from enum import Enum


class Rule(Enum):
    """The lifecycle rules of DOMAIN.md, each with its stable code and its explanation."""

    NOT_RECEIVED = ("ticket_not_received", "Nothing can happen to a ticket that was not received.")
    ALREADY_RECEIVED = ("ticket_already_received", "A ticket is received exactly once.")
    REFERENCE_TAKEN = (
        "external_ref_taken",
        "An external reference names one order: sent again, it is for the same caller, unit and channel.",
    )
    CALLER_REQUIRED = (
        "caller_required",
        "Contacting the caller and the feedback call need a caller; a proactive ticket has none.",
    )
    RESPONSE_BEFORE_OUTCOME = (
        "no_outcome_without_response",
        "A ticket with a caller can be resolved only after the caller was reached "
        "(since the last rework); a ticket without a caller only after a site visit or "
        "a coordination; in business time as well: not before that response happened.",
    )
    NOT_IN_HANDLING = (
        "not_in_handling",
        "Contact, site visit, coordination and resolution are accepted only while the ticket "
        "is received or in progress (a follow-up contact also while resolved).",
    )
    FEEDBACK_NEEDS_RESOLUTION = (
        "feedback_needs_resolution",
        "The feedback call is accepted only while the ticket is resolved, and not before the "
        "resolution happened.",
    )
    PRAISE_BEFORE_HANDLING = (
        "praise_before_handling",
        "Praise is accepted only once something has been done for the caller.",
    )
    TICKET_CLOSED = ("ticket_closed", "A closed ticket accepts nothing but praise.")
    BEFORE_RECEIPT = (
        "occurred_before_receipt",
        "An event cannot have happened before the ticket was received.",
    )
    IN_THE_FUTURE = (
        "occurred_in_future",
        "An event cannot have happened more than a few minutes after it is recorded.",
    )

    def __init__(self, code: str, explanation: str) -> None:
        self.code = code
        self.explanation = explanation


class TicketError(Exception):
    """A command was refused; nothing was recorded."""

    code: str


class LifecycleError(TicketError):
    """The command breaks a lifecycle rule."""

    def __init__(self, rule: Rule, detail: str = "") -> None:
        self.rule = rule
        self.code = rule.code
        self.detail = detail or rule.explanation
        super().__init__(f"{rule.code}: {self.detail}")


class InvalidInputError(TicketError):
    """A field of the command is missing, empty, malformed or contradicts another."""

    code = "invalid_input"

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")
