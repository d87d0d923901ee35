"""The status board and the response audit: projections of the log, eventually consistent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.http.deps import App, Now, Views, Zone, allowed
from api.http.problems import responses
from api.http.schemas.board import AuditOut, AuditQueryIn, BoardPage, BoardQuery, FindingPage, FindingQueryIn
from application.keys import ApiKey
from application.permissions import Operation, unit_scope
from application.read_models import Finding

router = APIRouter(tags=["status board and audit"])
Reader = Annotated[ApiKey, allowed(Operation.READ_TICKETS)]
Auditor = Annotated[ApiKey, allowed(Operation.READ_AUDIT)]
LISTED = responses(401, 403, 422, 503)


@router.get("/v1/tickets", responses=LISTED)
def status_board(
    query: Annotated[BoardQuery, Query()], key: Reader, *, views: Views, app: App, now: Now, zone: Zone
) -> BoardPage:
    """The status board: tickets by filter, oldest received first, cursor-paginated."""
    where = query.where(unit_scope(key, query.unit))
    page = views.board.tickets(where, now=now, limit=query.limit, cursor=query.cursor)
    names = app.caller_names_to_mask(key.role, [row.id for row in page.items if row.has_caller])
    return BoardPage.of(page, now, zone, key.role, names)


@router.get("/v1/audit/responses", responses=LISTED)
def response_audit(
    query: Annotated[AuditQueryIn, Query()], key: Auditor, views: Views, now: Now, zone: Zone
) -> AuditOut:
    """事事有回音、件件有着落: headline counts and the first tickets of every finding."""
    report = views.audit.report(query.query(query.unit), now=now, limit=query.limit)
    return AuditOut.of(report, query.limit, zone)


@router.get("/v1/audit/responses/{finding}", responses=LISTED)
def audit_finding(
    *,
    finding: Finding,
    query: Annotated[FindingQueryIn, Query()],
    key: Auditor,
    views: Views,
    now: Now,
    zone: Zone,
) -> FindingPage:
    """One finding's tickets, page by page."""
    where = query.query(query.unit)
    page = views.audit.finding(finding, where, now=now, limit=query.limit, cursor=query.cursor)
    return FindingPage.of(finding, page, where, query.limit, zone)
