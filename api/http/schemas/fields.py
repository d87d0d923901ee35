"""Field types shared by requests and responses: aware datetimes within a sane range."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    field_validator,
)

EARLIEST_YEAR = 1970
LATEST_YEAR = 2200


def _in_range(value: datetime) -> datetime:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


# A naive time is refused: a client must say which zone it means (+08:00 in China).
Moment = Annotated[AwareDatetime, AfterValidator(_in_range)]

STRICT_INPUT = ConfigDict(extra="forbid", str_max_length=20_000)


def _true_or_false(value: object) -> object:
    if value in ("true", "false") or isinstance(value, bool):
        return value
    raise ValueError("must be true or false")


# A yes-or-no query parameter: `?responded=true` or `false` (pydantic alone also reads yes, on, 1 as true).
QueryBool = Annotated[bool, BeforeValidator(_true_or_false)]


class Period(BaseModel):
    """Tickets received in [received_from, received_to): an empty or reversed period is a mistake, said so,
    not a clean-looking empty answer."""

    received_from: Moment | None = None
    received_to: Moment | None = None

    @field_validator("received_to")
    @classmethod
    def _after_the_start(cls, received_to: datetime | None, info: ValidationInfo) -> datetime | None:
        received_from = info.data.get("received_from")
        if received_to is not None and received_from is not None and received_to <= received_from:
            raise ValueError(f"must be after received_from ({received_from.isoformat()})")
        return received_to
