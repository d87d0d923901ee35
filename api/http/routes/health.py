"""Liveness and readiness, for the load balancer and the orchestrator."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict

from api.http.deps import ServicesDep
from application.read_models import ViewBehindError

router = APIRouter(tags=["operations"])
READY_BOUND = 1.0  # seconds the views may take to reach the end of the log before "not ready"


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"status": "ready", "last_position": 75, "detail": None},
        {"status": "views behind", "last_position": 75,
         "detail": "The status_board view reached 70, not 75, within 1.0 s."},
    ]})  # fmt: skip
    status: str
    last_position: int | None = None
    detail: str | None = None


@router.get("/healthz")
async def healthz() -> Health:
    """The process is up."""  # async: it does no I/O, so it needs no hop to the thread pool
    return Health(status="ok")


@router.get("/readyz", responses={503: {"model": Health, "description": "Not ready"}})
def readyz(found: ServicesDep, response: Response) -> Health:
    """The store answers (and the read models are caught up within their bound)."""
    try:
        last = found.app.recorder.max_notification_id()
    except Exception as error:  # any failure of the store means "not ready", never a 500
        response.status_code = 503
        return Health(status="unavailable", detail=f"store unreachable: {type(error).__name__}")
    try:
        if found.read_side is not None:
            found.read_side.wait(last, timeout=READY_BOUND)
    except ViewBehindError as error:
        response.status_code = 503
        return Health(status="views behind", last_position=last, detail=str(error))
    return Health(status="ready", last_position=last)
