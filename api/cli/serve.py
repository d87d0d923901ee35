"""`hotline serve` (placeholder: being built)."""

from __future__ import annotations

import argparse

from api.cli.errors import CliError


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser("serve", help="(not yet built)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    raise CliError("hotline serve is not built yet")
