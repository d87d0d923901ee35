"""The auditor's proof that the record was never altered, and a case's verifiable export."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from api.http.deps import App, TicketId, allowed
from api.http.problems import responses
from api.http.schemas.audit import VerifyOut
from api.render.timeline import CaseTimeline, render_document
from application.audit.findings import findings_of
from application.audit.use_cases import export_case, verify_store
from application.keys import ApiKey
from application.permissions import Operation

router = APIRouter(prefix="/v1/audit", tags=["audit"])
Auditor = Annotated[ApiKey, allowed(Operation.READ_AUDIT)]
JSON_LINES = "application/x-ndjson"


@router.get("/verify", responses=responses(401, 403, 409, 422))
def verify(key: Auditor, app: App) -> VerifyOut:
    """Re-walk the hash chain: intact, or the first position modified, deleted, inserted or reordered."""
    return VerifyOut.of(verify_store(app))


@router.get(
    "/tickets/{ticket_id}/export",
    response_class=Response,
    responses={
        200: {"content": {JSON_LINES: {}}, "description": "JSON Lines"},
        **responses(401, 403, 404, 409, 422),
    },
)
def export(ticket_id: TicketId, key: Auditor, app: App) -> Response:
    """One case's events as JSON Lines, each with its chain links and exact stored payload (see README)."""
    lines = [json.dumps(event.to_json(), ensure_ascii=False) + "\n" for event in export_case(app, ticket_id)]
    return Response("".join(lines), media_type=JSON_LINES)


@router.get(
    "/tickets/{ticket_id}/timeline", response_class=HTMLResponse, responses=responses(401, 403, 404, 409, 422)
)
def timeline(ticket_id: TicketId, key: Auditor, app: App) -> HTMLResponse:
    """A printable timeline of one case (Chinese labels) with its response-audit findings."""
    state, history = app.ticket(ticket_id), app.history(ticket_id)
    case = CaseTimeline(state, export_case(app, ticket_id), findings_of(state, history, app.clock()))
    return HTMLResponse(render_document([case], f"工单审计时间线：{state.external_ref or state.id}"))
