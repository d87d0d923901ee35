"""Commands per second over HTTP on PostgreSQL at 1, 8 and 32 connections, with p50/p99 latency.

Printed next to, from the same run: the application's direct command rate (the same use case called
in-process by as many threads) and a no-op endpoint (GET /healthz) at the same concurrency.

    .venv/bin/python bench/http_load.py --quick   # 3 s per level, half a minute
    .venv/bin/python bench/http_load.py           # 10 s per level: the figures quoted in the README

The load comes from wrk when it is installed (apt-get install wrk), else from an async httpx client,
which needs about as much CPU as the server and so understates what the server can do.

The server is `hotline serve` on 127.0.0.1 (uvicorn, uvloop, httptools, no access log) in a fresh
PostgreSQL schema, dropped afterwards. The load generator shares the machine's cores with the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg

from application.commands import ReceiveTicket
from application.handling import CaseHandling
from domain.values import Actor, Caller, IntakeChannel, Kind, Location, Role, Urgency
from infrastructure.stores import store_for
from infrastructure.wiring import open_case_handling

POSTGRES_URL = os.environ.get("HOTLINE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
LEVELS = (1, 8, 32)
HOTLINE = str(Path(sys.executable).with_name("hotline"))
BODY = {
    "channel": "hotline", "kind": "help", "category": "housing.drainage", "urgency": "normal",
    "summary": "14号楼下水管道堵塞", "description": "明星北区14号楼下水管道堵塞，春节前急需疏通。",
    "location": {"address": "明星北区14号楼", "community": "明星社区", "building": "14"},
    "caller": {"name": "魏女士", "phone": "13812341234"}, "unit": "明星社区居委会",
}  # fmt: skip
COMMAND = ReceiveTicket(
    channel=IntakeChannel.HOTLINE, kind=Kind.HELP, category="housing.drainage", urgency=Urgency.NORMAL,
    summary=str(BODY["summary"]), description=str(BODY["description"]),
    location=Location("明星北区14号楼", "明星社区", "14"), unit="明星社区居委会",
    caller=Caller("魏女士", "13812341234"),
)  # fmt: skip
CENTRE = Actor("bench", Role.INTAKE, "济南12345")


def direct_rate(app: CaseHandling, requests: int, threads: int) -> float:
    """Receive commands per second calling the use case in-process from `threads` threads."""
    app.receive(COMMAND, CENTRE)  # warm the pool
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda _: app.receive(COMMAND, CENTRE), range(requests)))
    return requests / (time.perf_counter() - started)


async def http_load(
    base: str, key: str, requests: int, connections: int, command: bool
) -> tuple[float, list[float]]:
    """Requests per second and every latency (s), `connections` clients sending back to back."""
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    latencies: list[float] = []
    remaining = requests

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            sent = time.perf_counter()
            if command:
                reply = await client.post("/v1/tickets", json=BODY, headers=headers)
            else:
                reply = await client.get("/healthz")
            latencies.append(time.perf_counter() - sent)
            assert reply.status_code in (200, 201), reply.text

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        await client.get("/healthz")
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(connections)))
        elapsed = time.perf_counter() - started
    return requests / elapsed, latencies


def wrk_load(
    base: str, key: str, seconds: int, connections: int, command: bool
) -> tuple[float, float, float]:
    """Requests per second, p50 and p99 (s) from wrk: a C load generator that leaves the CPU to the server."""
    script = Path(tempfile.mkdtemp()) / "post.lua"
    body = json.dumps(BODY, ensure_ascii=False).replace("\\", "\\\\").replace("'", "\\'")
    script.write_text(
        f"wrk.method = 'POST'\nwrk.body = '{body}'\nwrk.headers['Content-Type'] = 'application/json'\n"
        f"wrk.headers['Authorization'] = 'Bearer {key}'\n",
        encoding="utf-8",
    )
    target = f"{base}/v1/tickets" if command else f"{base}/healthz"
    threads = str(min(connections, 2))
    args = ["wrk", "-t", threads, "-c", str(connections), "-d", f"{seconds}s", "--latency", target]
    out = subprocess.run(
        [*args, *(["-s", str(script)] if command else [])], check=True, capture_output=True, text=True
    ).stdout
    assert "Non-2xx" not in out, out
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return rate, _wrk_latency(out, "50%"), _wrk_latency(out, "99%")


def _wrk_latency(out: str, label: str) -> float:
    value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def serve(url: str, workers: int) -> tuple[subprocess.Popen[str], str, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {"HOTLINE_DATABASE_URL": url}
    command = [HOTLINE, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    command += ["--workers", str(workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert server.stdout is not None
    key = next(line.strip() for line in server.stdout if line.startswith("hk_"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # a bounded poll until it listens
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            break
        except httpx.TransportError:
            continue
    return server, base, key


def in_fresh_schema(run: Callable[[str], None]) -> None:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        run(f"{POSTGRES_URL}?schema={schema}&pool_size=10&max_overflow=10")
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def measure(
    base: str, key: str, args: argparse.Namespace, connections: int, command: bool
) -> tuple[float, float, float]:
    """Rate, p50 and p99 over HTTP, with wrk when installed, else with the async httpx client."""
    if shutil.which("wrk") and not args.httpx:
        return wrk_load(base, key, args.seconds, connections, command)
    rate, latencies = asyncio.run(http_load(base, key, args.requests, connections, command))
    return rate, percentile(latencies, 50), percentile(latencies, 99)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="direct (and httpx) requests per level")
    parser.add_argument("--seconds", type=int, default=10, help="wrk's duration per level")
    parser.add_argument("--quick", action="store_true", help="300 requests and 3 s per level")
    parser.add_argument("--workers", type=int, default=2, help="server processes (`hotline serve --workers`)")
    parser.add_argument(
        "--httpx", action="store_true", help="drive the load with httpx even if wrk is installed"
    )
    args = parser.parse_args()
    if args.quick:
        args.requests, args.seconds = 300, 3

    def run(url: str) -> None:
        server, base, key = serve(url, args.workers)
        app = open_case_handling(store_for(url))
        tool = "httpx" if args.httpx or not shutil.which("wrk") else "wrk"
        try:
            print(
                f"receive commands on PostgreSQL; hotline serve --workers {args.workers} (uvicorn, uvloop, "
                f"httptools); load by {tool}"
            )
            print("conns  direct cmd/s  http cmd/s  http/direct  p50 ms  p99 ms  no-op req/s  no-op p99 ms")
            for connections in LEVELS:
                direct = direct_rate(app, args.requests, connections)
                rate, p50, p99 = measure(base, key, args, connections, command=True)
                noop, _, noop_p99 = measure(base, key, args, connections, command=False)
                figures = f"{p50 * 1000:>6.1f}  {p99 * 1000:>6.1f}  {noop:>11.0f}  {noop_p99 * 1000:>12.1f}"
                print(f"{connections:>5}  {direct:>12.0f}  {rate:>10.0f}  {rate / direct:>10.0%}  {figures}")
        finally:
            server.terminate()
            server.wait(timeout=30)

    in_fresh_schema(run)


if __name__ == "__main__":
    main()
