"""`hotline serve`: the HTTP API under uvicorn (uvloop, httptools); on SQLite it keeps the views too."""

from __future__ import annotations

import argparse
import socket

import uvicorn

from api.cli.errors import CliError
from api.http.app import create_app
from application.handling import utc_now
from domain.values import Role
from infrastructure.projections.keeper import ViewsBusyError
from infrastructure.services import Services, open_services
from infrastructure.settings import Settings
from infrastructure.wiring import require_store_answers

APP_FACTORY = "api.http.app:create_app"


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser("serve", help="serve the HTTP API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-access-log", action="store_true", help="do not log every request")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (PostgreSQL only; one per core is a good start)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise CliError("--workers must be at least 1")
    _require_free(args.host, args.port)  # before saying it serves, or making a first key it cannot serve
    settings = Settings()
    require_store_answers(settings.store)  # a database that is not there is said at once
    services = open_services(settings)
    if args.workers > 1 and services.store.kind != "postgres":
        # On SQLite the served process also keeps the views; two of them would fight over one file.
        raise CliError("--workers above 1 needs PostgreSQL (with `hotline worker` beside it)")
    if args.workers == 1:
        try:  # here, not only as the app starts: a second server on one SQLite file is refused at once
            services.start()
        except ViewsBusyError as error:
            services.close()
            raise CliError(str(error)) from None
    _first_admin_key(services, f"http://{args.host}:{args.port}")
    options = {
        "host": args.host, "port": args.port, "loop": "uvloop", "http": "httptools", "log_level": "info",
        "access_log": not args.no_access_log, "timeout_graceful_shutdown": 30,
    }  # fmt: skip
    if args.workers == 1:
        uvicorn.Server(uvicorn.Config(create_app(services), **options)).run()
    else:  # each worker process opens its own services from the same environment
        services.close()
        uvicorn.run(APP_FACTORY, factory=True, workers=args.workers, **options)
    return 0


def _require_free(host: str, port: int) -> None:
    """CliError if nothing can listen on host:port (another server has it, or the address is not this
    machine's). Port 0 asks for any free port: always free."""
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind(address)
    except OSError as error:
        raise CliError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def _first_admin_key(services: Services, base: str) -> None:
    """On the first start (no keys at all) create an administrator's key, so the API can be used."""
    print(f"hotline: serving on {base} from the {services.store.kind} store; docs at {base}/docs", flush=True)
    if services.keys.all():
        return
    _, secret = services.keys.issue(Role.ADMIN, (), "admin", utc_now())
    print("hotline: first start, created an admin key (shown once; `hotline keys create` makes more):")
    print(secret, flush=True)
