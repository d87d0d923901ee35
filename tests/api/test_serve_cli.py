"""`hotline serve` refuses what it cannot do, in one line, before it listens."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import uvicorn

from api.cli import main, serve
from infrastructure.projections.keeper import keeping_the_views
from infrastructure.services import Services, open_services
from infrastructure.settings import Settings
from infrastructure.stores import store_for
from tests.conftest import POSTGRES_URL


def test_several_server_processes_are_refused_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{tmp_path}/hotline.db")

    code = main(["serve", "--workers", "2", "--port", "0"])

    assert code != 0
    assert capsys.readouterr().err.strip() == (
        "hotline: --workers above 1 needs PostgreSQL (with `hotline worker` beside it)"
    )


@pytest.mark.postgres
def test_the_parent_of_several_server_processes_keeps_no_connection_open(
    postgres_schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"{POSTGRES_URL}?schema={postgres_schema}")
    opened: list[Services] = []

    def recording_open_services(settings: Settings) -> Services:
        opened.append(open_services(settings))
        return opened[-1]

    open_while_serving: list[str] = []

    def run_workers(*_: object, **__: object) -> None:
        (services,) = opened
        datastores = {"app": services.app.recorder.datastore} | {  # type: ignore[attr-defined]
            projection.name: projection.view.datastore
            for projection in (services.read_side.projections if services.read_side else [])
        }
        open_while_serving.extend(name for name, store in datastores.items() if not store.pool.closed)

    monkeypatch.setattr(serve, "open_services", recording_open_services)
    monkeypatch.setattr(uvicorn, "run", run_workers)

    assert main(["serve", "--workers", "2", "--port", "0"]) == 0
    assert open_while_serving == []


def test_a_second_server_on_one_sqlite_file_is_refused_before_it_says_it_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/hotline.db"
    monkeypatch.setenv("HOTLINE_DATABASE_URL", url)
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: pytest.fail("it went on to serve"))

    with keeping_the_views(store_for(url)):  # as the first server does
        code = main(["serve", "--port", "0"])

    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err.startswith("hotline: Another process keeps these views")
    assert err.count("\n") == 1


def test_a_port_another_server_holds_is_refused_before_it_says_it_serves_or_makes_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{tmp_path}/hotline.db")
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: pytest.fail("it went on to serve"))

    with socket.socket() as other:  # another server listening there
        other.bind(("127.0.0.1", 0))
        other.listen()
        code = main(["serve", "--port", str(other.getsockname()[1])])

    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "cannot listen on 127.0.0.1:" in err
    assert "Address already in use" in err
    assert not (tmp_path / "hotline.db").exists()  # no store made, no key
