"""`hotline audit`: verify the hash chain, sign checkpoints, make keys (exports: `exports`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from api.cli import exports
from api.cli.errors import CliError
from api.cli.opening import audited_application, key_errors
from application.audit.checkpoints import Checkpoint
from application.audit.use_cases import (
    current_head,
    verify_store,
)
from infrastructure.audit import keys


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
    exports.register(actions)


def run_verify(args: argparse.Namespace) -> int:
    expect = _signed_checkpoint(args.checkpoint, args.public_key)
    resume = _signed_checkpoint(args.from_checkpoint, args.public_key)
    with audited_application() as app:
        result = verify_store(app, expect=expect, resume=resume)
    if not result.ok:
        raise CliError(f"tampered at position {result.first_bad_position}: {result.problem}", exit_code=2)
    print(f"intact: {result.events_checked} events checked; head position {result.head_position} "
          f"hash {result.head_hash}")  # fmt: skip
    return 0


def run_keygen(args: argparse.Namespace) -> int:
    with key_errors():
        public = keys.generate_key(args.out)
    print(f"private key {args.out} (keep it off the database server); public key {public}")
    return 0


def run_checkpoint(args: argparse.Namespace) -> int:
    with audited_application() as app:
        head = current_head(app)
    with key_errors():
        keys.write_checkpoint(keys.sign(head, args.key), args.out)
    print(f"checkpoint at position {head.position} hash {head.hash.hex()} written to {args.out}")
    return 0


def _signed_checkpoint(path: Path | None, public_key: Path | None) -> Checkpoint | None:
    if path is None:
        return None
    if public_key is None:
        raise CliError("a checkpoint is trusted only with --public-key to check its signature")
    with key_errors():
        checkpoint = keys.read_checkpoint(path)
        keys.require_valid_signature(checkpoint, public_key)
    return checkpoint
