"""Checking a view against the log it is folded from.

The chain proves the log; the views are derived from it, and the audit's headline is read from a view. So
an auditor can have every stored row compared with a fresh fold of its ticket's events. The keeper may go
on meanwhile: a row is compared with the fold of its ticket's events up to the view's position when it
was read, or up to the row's own position if the row is newer (a row whose position was raised to hide
later events then fails too, since the fold up to that position includes them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from application.projections import TicketProjection, UnreadableRow
from application.ticket_folds import Positioned


@dataclass(frozen=True)
class ViewCheck:
    name: str
    version: int
    position: int  # the view's position when its rows were read
    row_count: int
    differing: list[UUID] = field(default_factory=list)  # rows that are not the fold of their ticket's events
    missing: list[UUID] = field(default_factory=list)  # tickets the view applied but holds no row for
    invented: list[UUID] = field(default_factory=list)  # rows of tickets the log never received
    unreadable: list[str] = field(default_factory=list)  # rows that are not rows any more

    @property
    def agrees(self) -> bool:
        return not (self.differing or self.missing or self.invented or self.unreadable)


def check_view(
    projection: type[TicketProjection[Any]],
    position: int,
    rows: Iterable[Any],
    log: Mapping[UUID, Sequence[Positioned]],
) -> ViewCheck:
    """Compare the view's `rows` (read after its `position`) with `log`, every ticket's events in log
    order, read after the rows."""
    rows = list(rows)
    unreadable = [row.stored_id for row in rows if isinstance(row, UnreadableRow)]
    stored = {projection.ticket_of(row): row for row in rows if not isinstance(row, UnreadableRow)}
    differing, missing = [], []
    for ticket_id, events in log.items():
        row = stored.get(ticket_id)
        up_to = position if row is None else max(position, row.position)
        applied = [event for event in events if event[1] <= up_to]
        if not applied:
            continue  # received after the view's position: not yet in it
        if row is None:
            missing.append(ticket_id)
        elif projection.fold(None, applied) != row:
            differing.append(ticket_id)
    invented = [ticket_id for ticket_id in stored if ticket_id not in log]
    missing = [ticket_id for ticket_id in missing if str(ticket_id) not in unreadable]  # named once, below
    return ViewCheck(
        projection.name, projection.version, position, len(rows), differing, missing, invented, unreadable
    )
