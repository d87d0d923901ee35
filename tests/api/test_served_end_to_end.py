"""The real server (`hotline serve`, uvicorn) on PostgreSQL, with `hotline worker`, driving one seed case."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from infrastructure.services import open_services
from infrastructure.settings import Settings
from tests.api import bodies
from tests.conftest import POSTGRES_URL

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
HOTLINE = str(Path(sys.executable).with_name("hotline"))
STARTUP_BOUND = 30.0  # seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hotline(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [HOTLINE, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def new_key(env: dict[str, str], role: str, *units: str) -> str:
    unit_args = [arg for unit in units for arg in ("--unit", unit)]
    command = [HOTLINE, "keys", "create", "--role", role, *unit_args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def wait_until_healthy(base: str, server: subprocess.Popen[str]) -> None:
    """Poll /healthz until it answers; fail if the server died or the bound passed."""
    deadline = time.monotonic() + STARTUP_BOUND
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read() if server.stderr else "server exited"
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
    pytest.fail(f"hotline serve did not answer /healthz within {STARTUP_BOUND} s")


@pytest.fixture
def served(
    request: pytest.FixtureRequest, postgres_schema: str
) -> Iterator[tuple[str, dict[str, str], subprocess.Popen[str]]]:
    env = os.environ | {"HOTLINE_DATABASE_URL": f"{POSTGRES_URL}?schema={postgres_schema}"}
    port, workers = free_port(), str(getattr(request, "param", 1))
    server = hotline(env, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", workers)
    processes = [server]
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", server)
        # Started once the server made its tables: two processes creating them at once would collide.
        processes.append(hotline(env, "worker"))
        yield f"http://127.0.0.1:{port}", env, server
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


@pytest.mark.parametrize("served", [1, 2], indirect=True, ids=["one-process", "two-processes"])
def test_the_blocked_drain_is_handled_over_http_on_postgresql(
    served: tuple[str, dict[str, str], subprocess.Popen[str]],
) -> None:
    base, env, server = served
    admin = first_admin_key(server)
    centre = {"Authorization": f"Bearer {new_key(env, 'intake')}"}
    worker = {"Authorization": f"Bearer {new_key(env, 'worker', '明星社区居委会')}"}
    with httpx.Client(base_url=base, timeout=10) as client:
        ticket = client.post("/v1/tickets", json=bodies.drain(), headers=centre)
        assert ticket.status_code == 201, ticket.text
        path = f"/v1/tickets/{ticket.json()['id']}"
        for step, body, who in [
            ("coordinations", bodies.coordination(), worker), ("contacts", bodies.contact(), worker),
            ("resolution", bodies.resolution(), worker), ("feedback", bodies.feedback(), centre),
            ("praises", bodies.praise(), centre),
        ]:  # fmt: skip
            reply = client.post(f"{path}/{step}", json=body, headers=who | {"Idempotency-Key": step})
            assert reply.status_code == 201, (step, reply.text)
        board = read_own_write(client, "/v1/tickets", admin, reply.headers["x-hotline-position"])
        history = client.get(f"{path}/history", headers=worker).json()["items"]

    assert reply.json()["status"] == "closed"
    assert reply.json()["caller"]["name"] == "魏女士"
    assert [row["status"] for row in board.json()["items"]] == ["closed"]
    assert [e["type"] for e in history][-1] == "praised"
    assert history[0]["data"]["caller"]["phone"] == "138****1234"


def test_a_graceful_shutdown_loses_no_recorded_event(
    served: tuple[str, dict[str, str], subprocess.Popen[str]],
) -> None:
    base, env, server = served
    centre = {"Authorization": f"Bearer {new_key(env, 'intake')}"}
    with httpx.Client(base_url=base, timeout=10) as client:
        for n in range(5):
            body = bodies.drain(external_ref=f"JN-{n}")
            assert client.post("/v1/tickets", json=body, headers=centre).status_code == 201

    server.send_signal(signal.SIGTERM)

    # uvicorn finishes the requests in flight, runs the shutdown, then re-raises the signal it caught.
    assert server.wait(timeout=30) in (0, -signal.SIGTERM)
    assert server.stderr is not None
    assert "Finished server process" in server.stderr.read()
    reopened = open_services(Settings(database_url=env["HOTLINE_DATABASE_URL"]))
    assert len(reopened.app.recorder.select_notifications(start=None, limit=100)) == 5


def read_own_write(client: httpx.Client, path: str, key: str, position: str) -> httpx.Response:
    """A board read that includes the given write; 503 means the worker is not there yet: ask again.

    Each request already waits (bounded) for the views server-side, so this loop polls, it does not sleep.
    """
    headers = {"Authorization": f"Bearer {key}", "X-Hotline-Min-Position": position}
    deadline = time.monotonic() + STARTUP_BOUND
    while True:
        reply = client.get(path, headers=headers)
        if reply.status_code != 503 or time.monotonic() > deadline:
            return reply


def first_admin_key(server: subprocess.Popen[str]) -> str:
    """The key printed on the first start: the line after the notice."""
    assert server.stdout is not None
    lines = [server.stdout.readline().strip() for _ in range(3)]
    assert "first start" in lines[1], lines
    return lines[2]
