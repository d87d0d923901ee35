"""A signed export is evidence on its own: any edit, deletion, reordering or addition breaks its signature,
checked by `hotline audit verify-export` or by OpenSSL with the public key alone."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

import pytest

from api.cli import main

Edit = Callable[[list[str]], list[str]]


def _edited_summary(lines: list[str]) -> list[str]:
    first = json.loads(lines[0])
    first["event"]["data"]["summary"] = "无事发生"
    return [json.dumps(first, ensure_ascii=False), *lines[1:]]


EDITS: dict[str, Edit] = {
    "a readable field edited": _edited_summary,
    "a line deleted": lambda lines: lines[:2] + lines[3:],
    "lines reordered": lambda lines: list(reversed(lines)),
    "a line appended": lambda lines: [*lines, lines[-1]],
}


@pytest.fixture
def signed(handled_case: UUID, key: Path, tmp_path: Path) -> Path:
    out = tmp_path / "case.jsonl"
    assert main(["audit", "export", "JN-2024-0001", "--sign", str(key), "--out", str(out)]) == 0
    return out


def test_a_signed_export_verifies_with_the_public_key(
    signed: Path, key: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    code = main(["audit", "verify-export", str(signed), "--public-key", f"{key}.pub"])

    assert code == 0
    assert capsys.readouterr().out.startswith("intact: 5 events; signed with")
    assert len(signed.with_name("case.jsonl.sig").read_bytes()) == 64


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_any_change_to_a_signed_export_breaks_its_signature(
    edit: Edit, signed: Path, key: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signed.write_text(
        "\n".join(edit(signed.read_text(encoding="utf-8").splitlines())) + "\n", encoding="utf-8"
    )

    code = main(["audit", "verify-export", str(signed), "--public-key", f"{key}.pub"])

    assert code == 2
    assert "tampered: the export's signature is not valid" in capsys.readouterr().err


def test_openssl_alone_checks_a_signed_export(signed: Path, key: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("no openssl on this machine: the README's command cannot be shown to work here")
    command = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", f"{key}.pub", "-rawin",
               "-in", str(signed), "-sigfile", f"{signed}.sig"]  # fmt: skip

    intact = subprocess.run(command, capture_output=True, text=True, check=False)
    signed.write_text(_edited_summary(signed.read_text(encoding="utf-8").splitlines())[0] + "\n")
    edited = subprocess.run(command, capture_output=True, text=True, check=False)

    assert intact.returncode == 0, intact.stderr
    assert edited.returncode != 0


def test_without_a_signature_the_lines_are_still_checked_and_a_non_export_is_named(
    handled_case: UUID,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, html = tmp_path / "case.jsonl", tmp_path / "case.html"
    main(["audit", "export", str(handled_case), "--out", str(out)])
    main(["audit", "export", str(handled_case), "--format", "html", "--out", str(html)])
    lines = out.read_text(encoding="utf-8").splitlines()
    second = json.loads(lines[1])
    second["hash"] = "0" * 64
    out.write_text("\n".join([lines[0], json.dumps(second), *lines[2:]]) + "\n", encoding="utf-8")
    capsys.readouterr()

    assert main(["audit", "verify-export", str(out)]) == 2
    assert f"tampered at positions {second['position']}" in capsys.readouterr().err
    assert main(["audit", "verify-export", str(html)]) == 2
    assert "not an export in JSON Lines: line 1 is not JSON" in capsys.readouterr().err


def test_signing_needs_a_file_and_a_usable_key_before_anything_is_exported(
    handled_case: UUID,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    public_only = tmp_path / "auditor.pub"
    public_only.write_text("not a key")

    assert main(["audit", "export", str(handled_case), "--sign", str(public_only)]) == 1
    assert "--sign needs --out" in capsys.readouterr().err
    assert (
        main(["audit", "export", str(handled_case), "--sign", str(public_only), "--out", str(tmp_path / "x")])
        == 1
    )
    assert "not a PEM private key" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_the_private_key_given_for_the_public_one_is_a_mistake_not_tampering(
    signed: Path, key: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["audit", "verify-export", str(signed), "--public-key", str(key)])

    assert code == 1
    assert "is not a PEM public key" in capsys.readouterr().err


def test_an_unsigned_export_over_a_signed_one_leaves_no_stale_signature(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "export", "JN-2024-0001", "--format", "html", "--out", str(signed)]) == 0

    assert not signed.with_name("case.jsonl.sig").exists()
