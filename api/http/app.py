"""The app factory: the composition root of the HTTP API, and the seam tests build it through."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from api.http import problems
from api.http.idempotency import Idempotency
from api.http.middleware import BodyLimit
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


def create_app(services: Services | Settings | None = None) -> FastAPI:
    """The HTTP API on the given services (or on those the settings, by default the environment, name)."""
    if not isinstance(services, Services):
        services = open_services(services or Settings())
    app = FastAPI(title="hotline", version="1.0.0", description=DESCRIPTION, lifespan=_lifespan)
    app.state.services = services
    problems.install(app)
    for module in (commands, board, tickets, events, health, audit):
        app.include_router(module.router)
    _summaries_from_docstrings(app)
    app.add_middleware(Idempotency, store=services.idempotency, clock=services.clock)
    app.add_middleware(BodyLimit)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """While serving, keep the views current; on shutdown, stop after the requests in flight finished."""
    services: Services = app.state.services
    services.start()
    yield
    services.stop()


def _summaries_from_docstrings(app: FastAPI) -> None:
    """Each route's one-line docstring is its OpenAPI summary."""
    for route in app.routes:
        if isinstance(route, APIRoute) and route.description and not route.summary:
            route.summary = route.description.strip().splitlines()[0]
