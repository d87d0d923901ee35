"""`hotline demo` (placeholder: being built)."""

from __future__ import annotations

import argparse

from api.cli.errors import CliError


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser("demo", help="(not yet built)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    raise CliError("hotline demo is not built yet")
