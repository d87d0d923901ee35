"""`hotline audit`: keys, signed checkpoints, verification and exports, end to end on a SQLite file."""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest

from api.cli import main
from application.audit.standalone import bad_export_lines
from infrastructure.stores import store_for
from infrastructure.wiring import open_case_handling
from tests.builders import T0
from tests.integration.raw_database import RawDatabase


def test_keygen_keeps_the_private_key_private_and_the_public_key_beside_it(key: Path) -> None:
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert b"PUBLIC KEY" in key.with_name("auditor.key.pub").read_bytes()


def test_keygen_never_overwrites_a_key(key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = key.read_bytes()

    assert main(["audit", "keygen", "--out", str(key)]) != 0
    assert "already exists" in capsys.readouterr().err
    assert key.read_bytes() == before


def test_an_untouched_store_extends_its_signed_checkpoint(
    handled_case: UUID, key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkpoint = tmp_path / "head.json"
    assert main(["audit", "checkpoint", "--key", str(key), "--out", str(checkpoint)]) == 0

    code = main(["audit", "verify", "--checkpoint", str(checkpoint), "--public-key", f"{key}.pub"])

    assert code == 0
    assert "intact: 6 events checked" in capsys.readouterr().out


def test_verify_names_the_tampered_position_in_one_line(
    handled_case: UUID, database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = open_case_handling(store_for(database))
    RawDatabase(store_for(database), app).flip_payload_byte(3)

    code = main(["audit", "verify"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("hotline: tampered at position 3:")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "rewritten",
    [
        "replace(CAST(state AS TEXT), '已联系', '未联系')",  # edited, and stored as TEXT now
        "NULL",
        "42",
    ],
)
def test_verify_reports_a_payload_sqlite_now_holds_as_another_type(
    rewritten: str, handled_case: UUID, database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = open_case_handling(store_for(database))
    RawDatabase(store_for(database), app).run(f"UPDATE {{events}} SET state = {rewritten} WHERE {{pos}} = 2")

    code = main(["audit", "verify"])

    assert code == 2
    assert capsys.readouterr().err.startswith("hotline: tampered at position 2:")


def test_a_checkpoint_signed_with_another_key_is_refused(
    handled_case: UUID, key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkpoint = tmp_path / "head.json"
    main(["audit", "checkpoint", "--key", str(key), "--out", str(checkpoint)])
    main(["audit", "keygen", "--out", str(tmp_path / "other.key")])
    capsys.readouterr()

    code = main(
        ["audit", "verify", "--checkpoint", str(checkpoint), "--public-key", str(tmp_path / "other.key.pub")]
    )

    assert code != 0
    assert "signature is not valid" in capsys.readouterr().err


def test_an_edited_checkpoint_file_is_refused(
    handled_case: UUID, key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkpoint = tmp_path / "head.json"
    main(["audit", "checkpoint", "--key", str(key), "--out", str(checkpoint)])
    document = json.loads(checkpoint.read_text())
    checkpoint.write_text(json.dumps({**document, "position": 2}))

    code = main(["audit", "verify", "--from-checkpoint", str(checkpoint), "--public-key", f"{key}.pub"])

    assert code != 0
    assert "signature is not valid" in capsys.readouterr().err


def test_an_exported_case_verifies_by_the_documented_procedure(handled_case: UUID, tmp_path: Path) -> None:
    out = tmp_path / "case.jsonl"

    assert main(["audit", "export", "JN-2024-0001", "--out", str(out)]) == 0

    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["type"] for line in lines] == [
        "received", "contacted", "resolved", "feedback-given", "praised",
    ]  # fmt: skip
    assert bad_export_lines(lines) == []


def test_the_default_export_leaves_the_callers_name_and_phone_out(handled_case: UUID, tmp_path: Path) -> None:
    out = tmp_path / "case.jsonl"

    assert main(["audit", "export", "JN-2024-0001", "--out", str(out)]) == 0

    exported = out.read_bytes()
    assert "魏女士".encode() not in exported
    assert b"13812341234" not in exported
    assert b"payload_b64" not in exported


def test_the_operators_export_with_personal_data_verifies_with_its_payloads(
    handled_case: UUID, tmp_path: Path
) -> None:
    out = tmp_path / "case.jsonl"

    code = main(["audit", "export", "JN-2024-0001", "--with-personal-data", "--out", str(out)])

    lines = out.read_text(encoding="utf-8").splitlines()
    assert code == 0
    assert "13812341234" in lines[0]
    assert all("payload_b64" in json.loads(line) for line in lines)
    assert bad_export_lines(lines) == []


def test_an_export_is_its_owners_alone_and_a_planted_link_beside_it_redirects_nothing(
    handled_case: UUID, tmp_path: Path
) -> None:
    out, victim = tmp_path / "case.jsonl", tmp_path / "victim.txt"
    victim.write_text("untouched")
    (tmp_path / ".case.jsonl.partial").symlink_to(victim)  # where an earlier release wrote its partial file

    code = main(["audit", "export", "JN-2024-0001", "--with-personal-data", "--out", str(out)])

    assert code == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert not out.is_symlink()
    assert victim.read_text() == "untouched"


def test_an_edited_export_line_fails_the_documented_procedure(handled_case: UUID, tmp_path: Path) -> None:
    out = tmp_path / "case.jsonl"
    main(["audit", "export", str(handled_case), "--out", str(out)])
    lines = out.read_text(encoding="utf-8").splitlines()
    edited = json.loads(lines[1])
    edited["version"] = 9

    assert bad_export_lines([lines[0], json.dumps(edited), *lines[2:]]) == [edited["position"]]


def test_a_units_export_holds_only_its_cases_received_in_the_period(
    handled_case: UUID, tmp_path: Path
) -> None:
    out = tmp_path / "unit.jsonl"
    start, end = T0 - timedelta(days=1), T0 + timedelta(days=1)

    period = ["--from", start.isoformat(), "--to", end.isoformat()]

    code = main(["audit", "export", "--unit", "明星社区居委会", *period, "--out", str(out)])

    tickets = {json.loads(line)["ticket_id"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert code == 0
    assert tickets == {str(handled_case)}


def test_a_units_export_that_finds_no_case_says_so(
    handled_case: UUID, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    period = ["--from", (T0 - timedelta(days=1)).isoformat(), "--to", (T0 + timedelta(days=1)).isoformat()]

    code = main(["audit", "export", "--unit", "明星社区", *period, "--out", str(tmp_path / "unit.jsonl")])

    assert code == 0
    assert "no case of unit '明星社区' was received in that period" in capsys.readouterr().err


def test_the_printable_timeline_shows_the_findings_in_chinese(handled_case: UUID, tmp_path: Path) -> None:
    out = tmp_path / "case.html"

    assert main(["audit", "export", "JN-2024-0001", "--format", "html", "--out", str(out)]) == 0

    page = out.read_text(encoding="utf-8")
    assert "<th>回音用时</th><td>1小时0分钟</td>" in page
    assert "<th>回音是否按时</th><td>按时</td>" in page
    assert "<th>办理结果</th><td>已解决</td>" in page
    assert "满意" in page
    assert "satisfied" not in page  # every value a person reads is in Chinese
    assert (
        "电话 · 已联系上 · 已联系魏**" in page
    )  # the worker's contact, the caller's name masked in its note
    assert "138****1234" in page
    assert "13812341234" not in page
    assert "魏**" in page
    assert "魏女士" not in page  # nor in the worker's note, "已联系魏女士"


def test_export_needs_a_ticket_or_a_unit(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "export"]) != 0
    assert "either TICKET or --unit" in capsys.readouterr().err


def test_the_in_memory_store_has_no_chain_to_verify(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", "memory://")

    assert main(["audit", "verify"]) != 0
    assert "keeps no hash chain" in capsys.readouterr().err
