"""`hotline serve`: the HTTP API under uvicorn (uvloop, httptools); on SQLite it keeps the views too."""

from __future__ import annotations

import argparse

import uvicorn

from api.http.app import create_app
from application.handling import utc_now
from domain.values import Role
from infrastructure.services import Services, open_services
from infrastructure.settings import Settings


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser("serve", help="serve the HTTP API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    services = open_services(Settings())
    _first_admin_key(services, f"http://{args.host}:{args.port}")
    config = uvicorn.Config(
        create_app(services), host=args.host, port=args.port, loop="uvloop", http="httptools",
        log_level="info", timeout_graceful_shutdown=30,
    )  # fmt: skip
    uvicorn.Server(config).run()
    return 0


def _first_admin_key(services: Services, base: str) -> None:
    """On the first start (no keys at all) create an administrator's key, so the API can be used."""
    print(f"hotline: serving on {base} from the {services.store.kind} store; docs at {base}/docs", flush=True)
    if services.keys.all():
        return
    _, secret = services.keys.issue(Role.ADMIN, (), "admin", utc_now())
    print("hotline: first start, created an admin key (shown once; `hotline keys create` makes more):")
    print(secret, flush=True)
