"""The `hotline` command line: scriptable, exit 0 on success, a one-line reason on stderr otherwise."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence

from eventsourcing.persistence import PersistenceError
from pydantic import ValidationError

from api.cli import commands
from api.cli.errors import CliError
from infrastructure.failures import STORE_FAILURES, first_line, store_failure
from infrastructure.settings import Settings
from infrastructure.stores import UnsupportedStoreError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline", description="12345 hotline case handling: 事事有回音、件件有着落"
    )
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in commands.REGISTRY:
        register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except CliError as error:
        print(f"hotline: {error}", file=sys.stderr)
        return error.exit_code
    except STORE_FAILURES as error:  # the database is down or refused us, at whatever step
        print(f"hotline: the store failed: {store_failure(error, Settings().store)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("hotline: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `hotline replay … | head`: the reader left; nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush has nowhere to fail
        return 1
    except (
        ValidationError,
        UnsupportedStoreError,
        PersistenceError,
        sqlite3.DatabaseError,
        OSError,
    ) as error:
        print(f"hotline: {_one_line(error)}", file=sys.stderr)
        return 1
    return code


def _one_line(error: Exception) -> str:
    """What an operator can act on, for a failure that is not a bug of ours: a setting, the store, a file."""
    if isinstance(error, ValidationError):
        problems = [f"HOTLINE_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()]
        return f"bad setting: {'; '.join(problems)}"
    if isinstance(error, PersistenceError | sqlite3.DatabaseError):
        return f"the store failed: {first_line(error)}"
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.strerror}: {error.filename}"
    return first_line(error)
