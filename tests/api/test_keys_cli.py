"""`hotline keys`: the key printed once as the last line, listed without secrets, revoked by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main
from infrastructure.services import open_services
from infrastructure.settings import Settings


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/hotline.db"
    monkeypatch.setenv("HOTLINE_DATABASE_URL", url)
    return url


def test_a_created_key_is_the_last_line_and_is_recognised(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keys", "create", "--role", "worker", "--unit", "明星社区居委会", "--name", "mabin"]) == 0

    secret = capsys.readouterr().out.strip().splitlines()[-1]
    key = open_services(Settings(database_url=database)).keys.recognise(secret)
    assert key is not None
    assert (key.name, key.role.value, key.units) == ("mabin", "worker", ("明星社区居委会",))


def test_listing_keys_never_shows_a_secret(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["keys", "create", "--role", "auditor", "--name", "audit-1"])
    secret = capsys.readouterr().out.strip().splitlines()[-1]

    assert main(["keys", "list"]) == 0

    listing = capsys.readouterr().out
    assert "audit-1" in listing
    assert secret not in listing


def test_a_revoked_key_is_refused_and_revoking_it_again_fails(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["keys", "create", "--role", "integrator", "--name", "city"])
    secret = capsys.readouterr().out.strip().splitlines()[-1]

    assert main(["keys", "revoke", "city"]) == 0
    assert main(["keys", "revoke", "city"]) == 1
    assert "no active key" in capsys.readouterr().err
    assert open_services(Settings(database_url=database)).keys.recognise(secret) is None


def test_a_worker_key_needs_a_unit(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "--role", "worker"]) == 1
    assert "--unit" in capsys.readouterr().err
