"""`hotline audit`: verify the hash chain, sign checkpoints, make keys, export cases for auditors."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TextIO
from uuid import UUID

from api.cli.errors import CliError
from api.cli.opening import existing_store
from api.render.timeline import CaseTimeline, render_document
from application.audit.checkpoints import Checkpoint
from application.audit.findings import findings_of
from application.audit.use_cases import (
    ChainUnavailableError,
    EmptyChainError,
    cases_of_unit,
    current_head,
    export_case,
    verify_store,
)
from application.errors import TicketNotFoundError
from application.handling import CaseHandling
from infrastructure.audit import keys
from infrastructure.settings import Settings
from infrastructure.wiring import open_case_handling


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = subcommands.add_parser("audit", help="verify the tamper-evident record, sign checkpoints, export")
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="re-walk the hash chain; exit 0 when intact")
    verify.add_argument("--checkpoint", type=Path, help="a signed checkpoint the store must still extend")
    verify.add_argument("--from-checkpoint", type=Path, help="trust everything up to this signed checkpoint")
    verify.add_argument("--public-key", type=Path, help="the public key the checkpoints were signed with")
    verify.set_defaults(handler=run_verify)
    keygen = actions.add_parser("keygen", help="make an Ed25519 signing key (and FILE.pub beside it)")
    keygen.add_argument("--out", type=Path, required=True)
    keygen.set_defaults(handler=run_keygen)
    checkpoint = actions.add_parser("checkpoint", help="sign the chain's current head")
    checkpoint.add_argument("--key", type=Path, required=True, help="the private signing key")
    checkpoint.add_argument("--out", type=Path, required=True, help="where to write the checkpoint")
    checkpoint.set_defaults(handler=run_checkpoint)
    export = actions.add_parser(
        "export", help="one case, or a unit's cases in a period, as JSON Lines or HTML"
    )
    export.add_argument("ticket", nargs="?", help="the ticket id or the 12345 order number")
    export.add_argument("--unit", help="every case this unit received in [--from, --to)")
    export.add_argument("--from", dest="start", type=_moment, help="ISO 8601 with a UTC offset")
    export.add_argument("--to", dest="end", type=_moment, help="ISO 8601 with a UTC offset")
    export.add_argument("--format", choices=("jsonl", "html"), default="jsonl")
    export.add_argument("--out", type=Path, help="a file (default: standard output)")
    export.add_argument(
        "--with-personal-data",
        action="store_true",
        help="jsonl: the full form, with each stored payload and the caller's name and phone "
        "(default: masked, no payload, still verifiable)",
    )
    export.set_defaults(handler=run_export)


def run_verify(args: argparse.Namespace) -> int:
    expect = _signed_checkpoint(args.checkpoint, args.public_key)
    resume = _signed_checkpoint(args.from_checkpoint, args.public_key)
    with _application() as app:
        result = verify_store(app, expect=expect, resume=resume)
    if not result.ok:
        raise CliError(f"tampered at position {result.first_bad_position}: {result.problem}", exit_code=2)
    print(f"intact: {result.events_checked} events checked; head position {result.head_position} "
          f"hash {result.head_hash}")  # fmt: skip
    return 0


def run_keygen(args: argparse.Namespace) -> int:
    with _key_errors():
        public = keys.generate_key(args.out)
    print(f"private key {args.out} (keep it off the database server); public key {public}")
    return 0


def run_checkpoint(args: argparse.Namespace) -> int:
    with _application() as app:
        head = current_head(app)
    with _key_errors():
        keys.write_checkpoint(keys.sign(head, args.key), args.out)
    print(f"checkpoint at position {head.position} hash {head.hash.hex()} written to {args.out}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    if (args.ticket is None) == (args.unit is None):
        raise CliError("give either TICKET or --unit with --from and --to")
    if args.unit is not None and (args.start is None or args.end is None):
        raise CliError("--unit needs both --from and --to")
    if args.ticket is not None and (args.start is not None or args.end is not None):
        raise CliError("--from and --to go with --unit; one ticket is exported whole")
    if args.start is not None and args.end is not None and args.start >= args.end:
        raise CliError(f"--from ({args.start.isoformat()}) must be before --to ({args.end.isoformat()})")
    with _application() as app, _output(args.out) as out:
        ticket_ids = (
            [app.find(args.ticket)]
            if args.ticket
            else list(cases_of_unit(app, args.unit, args.start, args.end))
        )
        zone = Settings().zone
        if args.format == "jsonl":
            for ticket_id in ticket_ids:
                for event in export_case(app, ticket_id):
                    line = event.to_json(zone=zone, personal_data=args.with_personal_data)
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            title = f"工单审计时间线：{args.ticket or args.unit}"
            cases = [_timeline(app, ticket_id) for ticket_id in ticket_ids]
            out.write(render_document(cases, title, zone))
    return 0


def _timeline(app: CaseHandling, ticket_id: UUID) -> CaseTimeline:
    state, history = app.ticket(ticket_id), app.history(ticket_id)
    return CaseTimeline(state, export_case(app, ticket_id), findings_of(state, history, app.clock()))


def _signed_checkpoint(path: Path | None, public_key: Path | None) -> Checkpoint | None:
    if path is None:
        return None
    if public_key is None:
        raise CliError("a checkpoint is trusted only with --public-key to check its signature")
    with _key_errors():
        checkpoint = keys.read_checkpoint(path)
        keys.require_valid_signature(checkpoint, public_key)
    return checkpoint


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time, e.g. 2024-01-10T09:00+08:00"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a UTC offset, e.g. 2024-01-10T09:00+08:00")
    return moment


@contextmanager
def _application() -> Iterator[CaseHandling]:
    app = open_case_handling(existing_store())
    try:
        yield app
    except (ChainUnavailableError, EmptyChainError, TicketNotFoundError) as error:
        raise CliError(str(error)) from None
    finally:
        app.close()


@contextmanager
def _key_errors() -> Iterator[None]:
    try:
        yield
    except keys.KeyFileError as error:
        raise CliError(str(error)) from None


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or a file that appears (or replaces an earlier one) only once it is complete. The
    file is its owner's alone (an export may hold callers' names and phones); it is written under a fresh,
    unguessable name, made exclusively, so a link planted beside it cannot redirect it."""
    if path is None:
        yield sys.stdout
        return
    if not path.parent.is_dir():
        raise CliError(f"no directory {path.parent.resolve()} to write {path.name} in")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)  # 0600
    partial = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            yield file
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
