"""The app factory: the composition root of the HTTP API, and the seam tests build it through."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from api.http import openapi, problems
from api.http.idempotency import Idempotency
from api.http.middleware import BodyLimit, PlainQuery
from api.http.routes import audit, board, commands, events, health, tickets
from infrastructure.services import Services, open_services
from infrastructure.settings import Settings

DESCRIPTION = """\
The 12345 hotline's case handling: 事事有回音、件件有着落 (every issue has a response, every case an outcome).

Authenticate with `Authorization: Bearer <key>` (keys come from `hotline keys create`). Writes take an
`Idempotency-Key`; ticket responses carry an `ETag` and writes honour `If-Match`. Errors are RFC 9457
`application/problem+json`. A command's reply carries `X-Hotline-Position`; send it back as
`X-Hotline-Min-Position` to read the status board or audit trail once they include your write.
"""


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": "Unique per intended write: a retry with the same key and the same JSON body replays the "
    "first reply (`Idempotent-Replayed: true`) and records nothing; another body → 422.",
}


def create_app(services: Services | Settings | None = None) -> FastAPI:
    """The HTTP API on the given services (or on those the settings, by default the environment, name)."""
    if not isinstance(services, Services):
        services = open_services(services or Settings())
    app = FastAPI(title="hotline", version="1.0.0", description=DESCRIPTION, lifespan=_lifespan)
    app.state.services = services
    problems.install(app)
    for module in (commands, board, tickets, events, health, audit):
        _documented(module.router.routes)  # before inclusion: the app then holds them wrapped
        app.include_router(module.router)
    app.add_middleware(Idempotency, store=services.idempotency, clock=services.clock, keys=services.keys)
    app.add_middleware(BodyLimit)
    app.add_middleware(PlainQuery)
    app.openapi = partial(_openapi_document, app)  # type: ignore[method-assign]
    return app


def _openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document of the routes, completed once with what it cannot see (see `openapi`)."""
    if app.openapi_schema is None:
        app.openapi_schema = openapi.complete(FastAPI.openapi(app))
    return app.openapi_schema


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """While serving, keep the views current; on shutdown, stop after the requests in flight finished."""
    services: Services = app.state.services
    services.start()
    yield
    services.stop()


def _documented(routes: Sequence[BaseRoute]) -> None:
    """Each route's docstring's first line is its OpenAPI summary, and every write declares the
    `Idempotency-Key` header (read by a middleware, so no route declares it itself)."""
    for route in routes:
        if not isinstance(route, APIRoute):
            continue
        if route.description and not route.summary:
            route.summary = route.description.strip().splitlines()[0]
        extra = route.openapi_extra or {}
        declared = extra.get("parameters", [])
        if "POST" in (route.methods or ()) and IDEMPOTENCY_KEY not in declared:  # once: routes outlive apps
            route.openapi_extra = extra | {"parameters": [*declared, IDEMPOTENCY_KEY]}
