"""`hotline worker`: keep the status board and the response audit current (PostgreSQL)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from api.cli.errors import CliError
from api.cli.opening import existing_store
from infrastructure.projections.keeper import ViewsBusyError
from infrastructure.projections.worker import keep_following


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser(
        "worker", help="run the projections on PostgreSQL: catch up, then follow new events until stopped"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = existing_store()
    if not store.has_subscriptions:
        raise CliError(
            f"hotline worker needs PostgreSQL; on {store.kind} `hotline serve` keeps the views current"
        )
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        keep_following(store, stop, report)
    except ViewsBusyError as error:
        raise CliError(str(error)) from error
    except Exception as error:
        raise CliError(f"a projection failed: {error!r}") from error
    print("hotline worker: stopped", file=sys.stderr)
    return 0


def report(message: str) -> None:
    print(f"hotline worker: {message}", file=sys.stderr, flush=True)
