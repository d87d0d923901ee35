"""`hotline replay TICKET`: a case's history as a readable timeline, or as JSON."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, tzinfo

from api.cli.errors import CliError
from api.cli.opening import case_handling
from api.cli.timeline import render
from application.errors import TicketNotFoundError
from application.handling import CaseHandling
from application.views import HistoryEntry, TicketState, data_in_zone, to_primitive
from infrastructure.settings import Settings


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser(
        "replay",
        help="print a case's history as a timeline",
        description="TICKET is the ticket's id or the 12345 centre's external reference.",
    )
    parser.add_argument("ticket", metavar="TICKET")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--version", type=int, help="as it was after its N-th event")
    when.add_argument("--as-of", metavar="T", help="as it was at business time T (ISO 8601 with offset)")
    when.add_argument("--known-at", metavar="T", help="as it was recorded by time T (ISO 8601 with offset)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings()
    as_of, known_at = _instant("--as-of", args.as_of), _instant("--known-at", args.known_at)
    if args.version is not None and args.version < 1:
        raise CliError("--version must be 1 or more")
    with case_handling(settings) as app:
        try:
            state, history = _replay(app, args.ticket, args.version, as_of, known_at)
        except TicketNotFoundError as error:
            raise CliError(str(error)) from None
    if args.json:
        document = {
            "ticket": to_primitive(state, settings.zone),
            "history": [_entry_in_zone(entry, settings.zone) for entry in history],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print("\n".join(render(state, history, settings.zone)))
    return 0


def _replay(
    app: CaseHandling, reference: str, version: int | None, as_of: datetime | None, known_at: datetime | None
) -> tuple[TicketState, list[HistoryEntry]]:
    ticket_id = app.find(reference)
    state = app.ticket(ticket_id, version=version, as_of=as_of, known_at=known_at)
    history = [
        entry
        for entry in app.history(ticket_id, version=version)
        if (as_of is None or entry.occurred_at <= as_of)
        and (known_at is None or entry.recorded_at <= known_at)
    ]
    return state, history


def _entry_in_zone(entry: HistoryEntry, zone: tzinfo) -> dict[str, object]:
    """The entry as JSON, every time in the deployment's zone, the intake's deadlines too."""
    primitive = to_primitive(entry, zone)
    assert isinstance(primitive, dict)
    return {**primitive, "data": data_in_zone(entry.data, zone)}


def _instant(option: str, text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"{option} {text!r} is not an ISO 8601 time such as 2023-11-08T12:00+08:00") from None
    if value.tzinfo is None:
        raise CliError(f"{option} {text!r} needs a UTC offset, such as +08:00")
    return value
