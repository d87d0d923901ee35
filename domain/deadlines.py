"""Deadlines computed at intake and stored in the received event: replay never depends on today's rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from domain.values import Kind, Urgency


@dataclass(frozen=True)
class Deadlines:
    respond_by: datetime  # the caller must be reached by then (回音)
    resolve_by: datetime  # the case must have an outcome by then (着落)
    policy: str  # which policy computed them, for the auditor


class Calendar(Protocol):
    """Where a span of time ends; a working-day calendar plugs in here."""

    def add(self, start: datetime, span: timedelta) -> datetime: ...


class ClockCalendar:
    """Every hour counts: deadlines run on the wall clock."""

    def add(self, start: datetime, span: timedelta) -> datetime:
        return start + span


@dataclass(frozen=True)
class DeadlinePolicy:
    """Response and resolution spans by urgency and kind, with per-category overrides, kept as data."""

    name: str
    response: Mapping[Urgency, timedelta]
    resolution_by_urgency: Mapping[Urgency, timedelta]  # urgent and critical cases
    resolution_by_kind: Mapping[Kind, timedelta]  # normal cases
    resolution_by_category: Mapping[str, timedelta] = field(default_factory=dict)
    calendar: Calendar = field(default_factory=ClockCalendar)

    def deadlines_for(self, kind: Kind, category: str, urgency: Urgency, received_at: datetime) -> Deadlines:
        """The deadlines of a ticket received at `received_at`."""
        resolution = self._resolution_span(kind, category, urgency)
        return Deadlines(
            respond_by=self.calendar.add(received_at, self.response[urgency]),
            resolve_by=self.calendar.add(received_at, resolution),
            policy=self.name,
        )

    def _resolution_span(self, kind: Kind, category: str, urgency: Urgency) -> timedelta:
        if urgency is not Urgency.NORMAL:
            return self.resolution_by_urgency[urgency]
        # A category that needs several bodies (房产证, 燃气退费) may have a longer span than its kind.
        return self.resolution_by_category.get(category, self.resolution_by_kind[kind])


def _hours(n: float) -> timedelta:
    return timedelta(hours=n)


def _days(n: float) -> timedelta:
    return timedelta(days=n)


STANDARD_POLICY = DeadlinePolicy(
    name="standard-2024",
    response={Urgency.NORMAL: _hours(24), Urgency.URGENT: _hours(2), Urgency.CRITICAL: _hours(1)},
    resolution_by_urgency={Urgency.URGENT: _days(3), Urgency.CRITICAL: _days(1)},
    resolution_by_kind={
        Kind.INQUIRY: _days(2),
        Kind.HELP: _days(5),
        Kind.COMPLAINT: _days(10),
        Kind.REPORT: _days(15),
        Kind.SUGGESTION: _days(15),
    },
)
