"""The auditor's proof that the record was never altered, and a case's verifiable export."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from api.http.deps import App, TicketId, Zone, allowed
from api.http.problems import responses
from api.http.schemas.audit import VerifyOut, VerifyQueryIn
from api.render.timeline import CaseTimeline, render_document
from application.audit.findings import findings_of
from application.audit.use_cases import export_case, verify_store
from application.keys import ApiKey
from application.permissions import Operation, require_personal_data

router = APIRouter(prefix="/v1/audit", tags=["audit"])
Auditor = Annotated[ApiKey, allowed(Operation.READ_AUDIT)]
JSON_LINES = "application/x-ndjson"
PersonalData = Annotated[
    bool,
    Query(
        description="The full form, with each event's stored payload and the caller's name and phone "
        "(administrators only; 403 for other roles). By default the masked form: no payload, the caller "
        "masked, every link still verifiable through `payload_sha256`."
    ),
]
EXPORT_EXAMPLE = (
    '{"position": 2, "prev": "9c1f…", "hash": "5d96…", "ticket_id": "0b6f…", "ticket_hex": "0b6f…", '
    '"version": 2, "topic": "domain.ticket:Ticket.Contacted", "type": "contacted", "payload_length": 412, '
    '"payload_sha256": "e3a1…", "event": {"occurred_at": "2024-01-10T11:00:00+08:00", '
    '"recorded_at": "2024-01-10T11:02:00+08:00", "actor": {"id": "mabin", "role": "worker", '
    '"unit": "张庄路街道明星社区居委会"}, "data": {"channel": "phone", "reached": true, '
    '"note": "已电话联系诉求人，约定明日上门"}}}\n'
)


@router.get("/verify", responses=responses(401, 403, 409, 422))
def verify(query: Annotated[VerifyQueryIn, Query()], key: Auditor, app: App) -> VerifyOut:
    """Re-walk the hash chain (or resume from a trusted head): intact, or the first bad position."""
    return VerifyOut.of(verify_store(app, resume=query.resume(app.clock())))


@router.get(
    "/tickets/{ticket_id}/export",
    response_class=Response,
    responses={
        200: {"content": {JSON_LINES: {"example": EXPORT_EXAMPLE}}, "description": "JSON Lines"},
        **responses(401, 403, 404, 409, 422),
    },
)
def export(
    ticket_id: TicketId, key: Auditor, app: App, zone: Zone, personal_data: PersonalData = False
) -> Response:
    """One case's events as JSON Lines, each with its chain link; masked unless asked (see README)."""
    if personal_data:
        require_personal_data(key)
    events = export_case(app, ticket_id)
    lines = [
        json.dumps(e.to_json(zone=zone, personal_data=personal_data), ensure_ascii=False) + "\n"
        for e in events
    ]
    return Response("".join(lines), media_type=JSON_LINES)


TIMELINE_EXAMPLE = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    "<title>工单审计时间线：JN12345-20230116-0088</title></head><body><section>"
    "<h1>JN12345-20230116-0088 明星北区14号楼下水管道堵塞</h1><p>状态：已关闭 · 诉求人：魏** 138****2345</p>"
    "<table><tr><th>序号</th><th>事项</th><th>发生时间</th>…</table></section></body></html>"
)


@router.get(
    "/tickets/{ticket_id}/timeline",
    response_class=HTMLResponse,
    responses={
        200: {"content": {"text/html": {"example": TIMELINE_EXAMPLE}}, "description": "A printable page"},
        **responses(401, 403, 404, 409, 422),
    },
)
def timeline(ticket_id: TicketId, key: Auditor, app: App, zone: Zone) -> HTMLResponse:
    """A printable timeline of one case (Chinese labels) with its response-audit findings."""
    state, history = app.ticket(ticket_id), app.history(ticket_id)
    case = CaseTimeline(state, export_case(app, ticket_id), findings_of(state, history, app.clock()))
    return HTMLResponse(render_document([case], f"工单审计时间线：{state.external_ref or state.id}", zone))
