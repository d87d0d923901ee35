"""The `hotline` command line: scriptable, exit 0 on success, a one-line reason on stderr otherwise."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from api.cli import commands
from api.cli.errors import CliError
from infrastructure.failures import STORE_FAILURES, store_failure
from infrastructure.settings import Settings


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
    return code
