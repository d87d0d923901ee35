"""Field types shared by requests and responses: aware datetimes within a sane range."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, ConfigDict

EARLIEST_YEAR = 1970
LATEST_YEAR = 2200


def _in_range(value: datetime) -> datetime:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


# A naive time is refused: a client must say which zone it means (+08:00 in China).
Moment = Annotated[AwareDatetime, AfterValidator(_in_range)]

STRICT_INPUT = ConfigDict(extra="forbid", str_max_length=20_000)
