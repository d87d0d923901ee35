"""`hotline audit export` and `verify-export`: a case (or a unit's cases in a period) for auditors, signed
by the auditor's key if asked, and checked again anywhere with the public key alone."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TextIO
from uuid import UUID

from api.cli.errors import CliError
from api.cli.opening import audited_application, key_errors
from api.render.timeline import CaseTimeline, render_document
from application.audit.findings import findings_of
from application.audit.standalone import bad_export_lines
from application.audit.use_cases import cases_of_unit, export_case
from application.handling import CaseHandling
from infrastructure.audit import keys
from infrastructure.settings import Settings

Signer = Callable[[bytes], bytes]


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    export.add_argument("--sign", type=Path, metavar="KEY", help="also write OUT.sig, signed with this key")
    export.set_defaults(handler=run_export)
    check = actions.add_parser("verify-export", help="check an exported file's lines and its signature")
    check.add_argument("file", type=Path)
    check.add_argument("--public-key", type=Path, help="check FILE.sig with this public key")
    check.set_defaults(handler=run_verify_export)


def run_export(args: argparse.Namespace) -> int:
    _require_a_clear_choice(args)
    signer = None
    if args.sign is not None:
        if args.out is None:
            raise CliError("--sign needs --out: the signature is written beside the file, as FILE.sig")
        with key_errors():
            signer = keys.signing_key(args.sign).sign  # before exporting: a bad key fails at once
    with audited_application() as app, _output(args.out, signer) as out:
        ticket_ids = (
            [app.find(args.ticket)]
            if args.ticket
            else list(cases_of_unit(app, args.unit, args.start, args.end))
        )
        if not ticket_ids:
            print(f"no case of unit {args.unit!r} was received in that period", file=sys.stderr)
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


def run_verify_export(args: argparse.Namespace) -> int:
    """Exit 0 when every line holds (and the signature, with --public-key); 2 naming what does not; 1 for a
    key or file that cannot be used."""
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise CliError(f"cannot read {args.file}: {error.strerror}") from None
    signed = ""
    if args.public_key is not None:
        signature = _signature_of(args.file)
        with key_errors():  # a key that cannot be used is the operator's mistake (exit 1), not tampering
            try:
                keys.require_signed(data, signature, args.public_key, "the export")
            except keys.BadSignatureError as error:
                raise CliError(f"tampered: {error}", exit_code=2) from None
        signed = f"; signed with {args.public_key}"
    try:
        lines = data.decode().splitlines()
        bad = bad_export_lines(lines)
    except ValueError as error:  # not UTF-8, or a line that is no exported event (an HTML export, say)
        raise CliError(f"not an export in JSON Lines: {error}", exit_code=2) from None
    if bad:
        raise CliError(f"tampered at positions {', '.join(map(str, bad))}", exit_code=2)
    print(f"intact: {sum(1 for line in lines if line.strip())} events{signed}")
    return 0


def _require_a_clear_choice(args: argparse.Namespace) -> None:
    if (args.ticket is None) == (args.unit is None):
        raise CliError("give either TICKET or --unit with --from and --to")
    if args.unit is not None and (args.start is None or args.end is None):
        raise CliError("--unit needs both --from and --to")
    if args.ticket is not None and (args.start is not None or args.end is not None):
        raise CliError("--from and --to go with --unit; one ticket is exported whole")
    if args.start is not None and args.end is not None and args.start >= args.end:
        raise CliError(f"--from ({args.start.isoformat()}) must be before --to ({args.end.isoformat()})")


def _signature_of(file: Path) -> bytes:
    try:
        return _signature_path(file).read_bytes()
    except OSError as error:
        raise CliError(f"no signature to check: {_signature_path(file)}: {error.strerror}") from None


def _signature_path(file: Path) -> Path:
    return file.with_name(file.name + ".sig")


def _timeline(app: CaseHandling, ticket_id: UUID) -> CaseTimeline:
    state, history = app.ticket(ticket_id), app.history(ticket_id)
    return CaseTimeline(state, export_case(app, ticket_id), findings_of(state, history, app.clock()))


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
def _output(path: Path | None, signer: Signer | None = None) -> Iterator[TextIO]:
    """Standard output, or a file that appears (or replaces an earlier one) only once it is complete, with
    its signature beside it (FILE.sig, the raw Ed25519 signature of its bytes) if a signer is given. The file
    is its owner's alone (an export may hold callers' names and phones); it is written under a fresh,
    unguessable name, made exclusively, so a link planted beside it cannot redirect it."""
    if path is None:
        yield sys.stdout
        return
    if not path.parent.is_dir():
        raise CliError(f"no directory {path.parent.resolve()} to write {path.name} in")
    partial = _private_file(path)
    try:
        with partial.open("w", encoding="utf-8") as file:
            yield file
        if signer is not None:
            _write_signature(_signature_path(path), signer(partial.read_bytes()))
        else:  # an earlier export's signature would not be this file's
            _signature_path(path).unlink(missing_ok=True)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _write_signature(path: Path, signature: bytes) -> None:
    partial = _private_file(path)
    try:
        partial.write_bytes(signature)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _private_file(beside: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{beside.name}.", suffix=".partial", dir=beside.parent)  # 0600
    os.close(fd)
    return Path(name)
