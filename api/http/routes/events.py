"""The global event feed: every event in commit order, each with its position in the log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError

from api.http.deps import App, Zone, allowed
from api.http.problems import responses
from api.http.schemas.tickets import FeedOut
from application.feed import BeyondTheLogError, feed_page
from application.keys import ApiKey
from application.permissions import Operation
from domain.errors import InvalidInputError

router = APIRouter(prefix="/v1/events", tags=["event feed"])
FeedReader = Annotated[ApiKey, allowed(Operation.READ_FEED)]
MAX_POSITION = 2**63 - 1


@router.get("", responses=responses(401, 403, 422))
def read_feed(
    *, key: FeedReader, app: App, zone: Zone,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION, description="The last position you have seen.")] = 0,
    cursor: Annotated[
        str | None, Query(pattern=r"^\d{1,18}$", description="A page's `next_cursor`: the same as `after`.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> FeedOut:  # fmt: skip
    """Events after a position, in commit order; resume from `last_position` (positions may have gaps),
    or follow `next_cursor` (null once nothing more was recorded) as with every list."""
    if cursor is not None and after != 0:
        both = "give `after` or `cursor`, not both: they say the same"
        raise RequestValidationError([{"loc": ("query", "cursor"), "msg": both, "type": "value_error"}])
    start, given_as = (after, "after") if cursor is None else (int(cursor), "cursor")
    try:
        page = feed_page(app, after=start, limit=limit, role=key.role)
    except BeyondTheLogError as error:
        raise InvalidInputError(given_as, str(error)) from None
    return FeedOut.of(page, key.role, zone)
