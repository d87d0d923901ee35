"""Commands run one at a time per server process, in the order they came, in the lane's one thread."""

from __future__ import annotations

import threading

import anyio
from anyio import wait_all_tasks_blocked

from api.http.command_lane import run_command

BOUND = 10.0  # seconds the first command waits to be let go: reached only if the test itself is broken


def test_a_command_waits_for_the_one_before_it_to_finish() -> None:
    ran: list[tuple[str, str, int]] = []  # (event, command, thread)
    first_may_finish = threading.Event()

    def command(name: str) -> str:
        ran.append(("start", name, threading.get_ident()))
        if name == "first":
            assert first_may_finish.wait(BOUND)
        ran.append(("end", name, threading.get_ident()))
        return name

    async def main() -> list[str]:
        finished: list[str] = []

        async def run(name: str) -> None:
            finished.append(await run_command(command, name))

        async with anyio.create_task_group() as group:
            group.start_soon(run, "first")
            await wait_all_tasks_blocked()
            group.start_soon(run, "second")  # handed over while the first is still running
            await wait_all_tasks_blocked()
            first_may_finish.set()
        return finished

    assert anyio.run(main) == ["first", "second"]
    assert [(event, name) for event, name, _ in ran] == [
        ("start", "first"), ("end", "first"), ("start", "second"), ("end", "second"),
    ]  # fmt: skip
    assert len({thread for _, _, thread in ran}) == 1
