"""`hotline demo`: load the seed story's seven cases into the configured store, idempotently."""

from __future__ import annotations

import argparse

from api.cli.opening import case_handling
from application.demo import Loaded, load
from application.seed_cases import SEED_CASES
from infrastructure.settings import Settings


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser(
        "demo",
        help="load the seed story's seven cases (11 tickets) into the configured store",
        description="Records the seven cases of the seed story, in Chinese, with their 2023-2024 times. "
        "Safe to run again: fixed external references mean a second run records nothing new.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings()
    with case_handling(settings, create=True) as app:
        loaded = load(app, SEED_CASES)
        for item in loaded:
            status = app.ticket(item.ticket_id).status.value
            print(_line(item, status))
    recorded = sum(item.recorded for item in loaded)
    where = f"the {settings.store.kind} store at {settings.store.place}"
    if recorded:
        print(f"Loaded {len(loaded)} tickets of 7 cases into {where}: {recorded} events recorded.")
    else:
        print(f"The {len(loaded)} seed tickets were already in {where}: nothing new recorded.")
    return 0


def _line(item: Loaded, status: str) -> str:
    script = item.script
    news = f"{item.recorded} events recorded" if item.recorded else "already loaded"
    return f"案例{script.case} {script.title}  {script.intake.external_ref}  {status}  ({news})"
