"""Lists in pages: a stable order, an opaque cursor, a bounded page size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from domain.errors import InvalidInputError

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list in a stable order; `next_cursor` (opaque) is None on the last page."""

    items: tuple[T, ...]
    next_cursor: str | None


def require_limit(limit: int) -> int:
    """A page size the API accepts, else an error naming the field."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInputError("limit", f"must be between 1 and {MAX_LIMIT}")
    return limit


def in_period(at: datetime, start: datetime | None, end: datetime | None) -> bool:
    """Whether `at` is in [start, end); None leaves that side open."""
    return (start is None or at >= start) and (end is None or at < end)
