"""`hotline projections status|rebuild`: where the views stand, and rebuilding one from the log."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

from api.cli.errors import CliError
from api.cli.opening import existing_store
from application.projections import PROJECTIONS
from infrastructure.projections.keeper import ViewsBusyError
from infrastructure.projections.operations import (
    ViewStatus,
    check_views,
    created_projections,
    rebuild,
    view_statuses,
)
from infrastructure.projections.views import UnknownProjectionError, projection_named
from infrastructure.wiring import open_case_handling


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subcommands.add_parser("projections", help="the read views: status, rebuild")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("status", help="each view's log position and lag").set_defaults(handler=status)
    rebuilding = actions.add_parser(
        "rebuild", help="rebuild views from the event log (stop the worker first)"
    )
    rebuilding.add_argument("name", nargs="?", choices=[p.name for p in PROJECTIONS], help="default: all")
    rebuilding.set_defaults(handler=rebuild_views)
    checking = actions.add_parser(
        "verify", help="compare every row of the views with a fresh fold of the log (exit 2 if any differs)"
    )
    checking.add_argument("name", nargs="?", choices=[p.name for p in PROJECTIONS], help="default: all")
    checking.set_defaults(handler=verify_views)


def status(args: argparse.Namespace) -> int:
    store = existing_store()
    app = open_case_handling(store)
    for view in view_statuses(store, app):
        print(
            f"{view.name:<16} v{view.version:<3} position {view.position or 0:>10}  "
            f"log {view.log_end or 0:>10}  lag {view.lag}{_note(view)}"
        )
    return 0


def _note(view: ViewStatus) -> str:
    if not view.created:
        return f"  (not created yet: {KEEPERS} fills it from the log, or `hotline projections rebuild`)"
    if view.missing_indexes:
        return f"  ({len(view.missing_indexes)} indexes missing: built when {KEEPERS} next starts)"
    return ""


KEEPERS = "`hotline serve` (SQLite) or `hotline worker` (PostgreSQL)"


SHOWN = 20  # tickets named per kind of difference; the counts before them are whole


def verify_views(args: argparse.Namespace) -> int:
    store = existing_store()
    app = open_case_handling(store)
    chosen = [projection_named(args.name)] if args.name else list(PROJECTIONS)
    checks = check_views(app, created_projections(store, chosen))
    for projection in chosen:
        if projection.name not in {check.name for check in checks}:
            print(f"{projection.name:<16} v{projection.version:<3} not created yet: no row to check")
    for check in checks:
        summary = f"{check.name:<16} v{check.version:<3} {check.row_count} rows at position {check.position}"
        print(f"{summary}: {'agree with the log' if check.agrees else 'DIFFER from the log'}")
        for kind, tickets in (("differ", check.differing), ("missing", check.missing),
                              ("invented", check.invented), ("unreadable", check.unreadable)):  # fmt: skip
            if tickets:
                print(f"  {len(tickets)} {kind}: {' '.join(str(t) for t in tickets[:SHOWN])}")
    if not all(check.agrees for check in checks):
        raise CliError("a view differs from the log: rebuild it (hotline projections rebuild)", exit_code=2)
    return 0


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:,.0f} events/s")


def rebuild_views(args: argparse.Namespace) -> int:
    store = existing_store()
    app = open_case_handling(store)
    try:
        chosen = [projection_named(args.name)] if args.name else list(PROJECTIONS)
    except UnknownProjectionError as error:
        raise CliError(str(error)) from error
    total = app.recorder.max_notification_id() or 0
    columns = (TextColumn("{task.description}"), BarColumn(), RateColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task(" + ".join(p.name for p in chosen), total=total)

        def advance(reached: int) -> None:
            bar.update(task, completed=reached)

        try:
            rebuild(store, app, chosen, advance)
        except ViewsBusyError as error:
            raise CliError(str(error)) from error
        bar.update(task, completed=total)
    return 0
