"""Commands run in one thread per server process, one at a time, in the order they came.

Every save holds the store's write lock until it commits (on PostgreSQL the library locks the event table,
so the log follows commit order, which the audit chain relies on; SQLite has one writer), so commands
are recorded one at a time whatever the concurrency. A second command in the same process could only
prepare while the first holds that lock, and it would contend with it for the GIL, stretching the time
the lock is held: with a thread per request the server did less under load (at 32 connections, about a
third fewer commands per second and a third more CPU per command than one at a time). The other server
processes keep the lock busy while this one prepares its next command. Queries do not queue here.

The lane is a plain executor rather than anyio's thread pool: on Python 3.11 every `get_running_loop()`
is a `getpid` system call, and anyio makes seventeen of them per call.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

COMMANDS_AT_ONCE = 1
P = ParamSpec("P")
T = TypeVar("T")

lane = ThreadPoolExecutor(max_workers=COMMANDS_AT_ONCE, thread_name_prefix="hotline-commands")


async def run_command(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`func(*args, **kwargs)` in the command lane, after the commands queued before it.

    A command that has started always finishes (the process waits for the lane's thread before it exits),
    even if the request is cancelled meanwhile; one still queued is then dropped. It runs in the request's
    context (an executor does not pass it on by itself): its save carries the request's idempotency fence.
    """
    context = contextvars.copy_context()
    return await asyncio.get_running_loop().run_in_executor(lane, context.run, partial(func, *args, **kwargs))
