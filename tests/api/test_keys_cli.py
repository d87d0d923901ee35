"""`hotline keys`: the key printed once as the last line, listed without secrets, revoked by name."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from api.cli import main
from domain.values import Role
from infrastructure.services import open_services
from infrastructure.settings import Settings
from tests.builders import T0


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A deployment's store, made as its first `hotline serve` makes it."""
    url = f"sqlite:///{tmp_path}/hotline.db"
    monkeypatch.setenv("HOTLINE_DATABASE_URL", url)
    open_services(Settings(database_url=url)).close()
    return url


def active_names(database: str) -> list[str]:
    return sorted(key.name for key in open_services(Settings(database_url=database)).keys.all() if key.active)


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
    main(["keys", "list"])
    assert re.search(
        r"\tcity\tintegrator\t-\trevoked \d{4}-\d\d-\d\dT\d\d:\d\d\+08:00$", capsys.readouterr().out, re.M
    )
    assert open_services(Settings(database_url=database)).keys.recognise(secret) is None


def test_a_worker_key_needs_a_unit(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "--role", "worker"]) == 1
    assert "--unit" in capsys.readouterr().err


def test_a_worker_key_needs_a_named_unit(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "--role", "worker", "--unit", " ", "--name", "mabin"]) == 1
    assert "--unit needs the unit's name" in capsys.readouterr().err
    assert active_names(database) == []


def test_a_name_already_held_by_an_active_key_is_refused(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["keys", "create", "--role", "worker", "--unit", "明星社区居委会", "--name", "mabin"])
    capsys.readouterr()

    assert main(["keys", "create", "--role", "worker", "--unit", "明星社区居委会", "--name", "mabin"]) == 1
    assert "already named 'mabin'" in capsys.readouterr().err
    assert active_names(database) == ["mabin"]
    main(["keys", "revoke", "mabin"])
    assert main(["keys", "create", "--role", "worker", "--unit", "明星社区居委会", "--name", "mabin"]) == 0


def test_a_name_held_by_several_keys_from_before_revokes_none_of_them(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ring = open_services(Settings(database_url=database)).keys
    first, _ = ring.issue(Role.INTEGRATOR, (), "", T0)
    second, _ = ring.issue(Role.INTEGRATOR, (), "", T0)
    for key in (first, second):  # as keys made before names had to be unique could be
        ring.store.add(replace(key, id=f"{key.id}x", name="city"), f"digest-{key.id}")

    assert main(["keys", "revoke", "city"]) == 1
    assert "2 active keys are named 'city'" in capsys.readouterr().err
    assert active_names(database).count("city") == 2
    assert main(["keys", "revoke", f"{first.id}x"]) == 0
    assert active_names(database).count("city") == 1


def test_keys_are_never_made_in_a_store_that_is_not_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "not-the-deployment" / "var" / "hotline.db"
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{elsewhere}")

    assert main(["keys", "create", "--role", "admin"]) == 1
    assert f"no store at {elsewhere}" in capsys.readouterr().err
    assert not elsewhere.parent.parent.exists()
