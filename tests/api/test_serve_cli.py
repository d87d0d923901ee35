"""`hotline serve` refuses what it cannot do, in one line, before it listens."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main


def test_several_server_processes_are_refused_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{tmp_path}/hotline.db")

    code = main(["serve", "--workers", "2"])

    assert code != 0
    assert capsys.readouterr().err.strip() == (
        "hotline: --workers above 1 needs PostgreSQL (with `hotline worker` beside it)"
    )
