"""An operator's plausible mistakes get one line on stderr and a non-zero exit, never a traceback, and never
leave a new store (or an emptied file) behind."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest

from api.cli import main
from tests.conftest import POSTGRES_URL

# Commands that read an existing deployment, each as an operator would type it.
READING_COMMANDS = [
    ["keys", "list"],
    ["projections", "status"],
    ["projections", "rebuild"],
    ["audit", "verify"],
    ["replay", "JN12345-20230116-0088"],
    ["audit", "export", "JN12345-20230116-0088"],
]


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.startswith("hotline: ")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.fixture
def loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """The seed story in a SQLite store, HOTLINE_DATABASE_URL pointing at it."""
    path = tmp_path / "hotline.db"
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{path}")
    assert main(["demo"]) == 0
    capsys.readouterr()
    return path


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_a_store_that_is_not_there_is_named_and_not_made(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "home" / "var" / "hotline.db"  # the default path, run from the wrong directory
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{elsewhere}")

    assert main(command) == 1
    assert f"no store at {elsewhere}" in one_line(capsys)
    assert not (tmp_path / "home").exists()


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("mysql://root@localhost/hotline", "use sqlite:///path/to/file.db"),
        (f"{POSTGRES_URL}?shema=hotline", "unknown option shema; known: schema, password, pool_size"),
        (f"{POSTGRES_URL}?pool_size=many", "pool_size must be a whole number, not 'many'"),
        ("postgresql://postgres@127.0.0.1:99999/test", "Port out of range"),
        ("postgresql://[::1/test", "Invalid IPv6 URL"),
    ],
)
@pytest.mark.parametrize("command", [*READING_COMMANDS, ["worker"], ["demo"]], ids=" ".join)
def test_a_database_url_it_cannot_use_is_refused_by_every_command(
    url: str,
    named: str,
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", url)

    assert main(command) == 1
    err = one_line(capsys)
    assert "Unsupported HOTLINE_DATABASE_URL" in err
    assert named in err


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://hotline:s3cret@db.internal:5432/hotline?shema=x", "hotline:***@db.internal:5432/"),
        ("postgresql://hotline@db.internal/hotline?password=s3cret&shema=x", "?password=***&shema=x"),
    ],
)
def test_a_refused_url_is_shown_without_its_password(
    url: str, shown: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", url)

    assert main(["keys", "list"]) == 1
    err = one_line(capsys)
    assert "s3cret" not in err
    assert shown in err


def test_a_file_that_is_not_a_database_is_a_failing_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_database = tmp_path / "README.md"
    not_a_database.write_text("# hotline\n" * 100)
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{not_a_database}")

    assert main(["projections", "status"]) == 1
    assert one_line(capsys) == "hotline: the store failed: file is not a database\n"


@pytest.mark.postgres
@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_a_postgres_schema_without_a_store_is_named_and_nothing_is_made_there(
    command: list[str],
    postgres_schema: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = f"missing_{uuid.uuid4().hex[:8]}"
    for schema in (missing, postgres_schema):  # no such schema; a schema, empty
        monkeypatch.setenv("HOTLINE_DATABASE_URL", f"{POSTGRES_URL}?schema={schema}")

        assert main(command) == 1
        assert f"no store at schema '{schema}' of 127.0.0.1:5432/test" in one_line(capsys)
    with psycopg.connect(POSTGRES_URL) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = %s", [postgres_schema]
        ).fetchone()
    assert tables == (0,)


@pytest.mark.parametrize(
    ("offset", "problem"),
    [("abc", "unable to parse string as a number"), ("25", "less than or equal to 14")],
)
def test_a_bad_setting_is_named(
    offset: str,
    problem: str,
    loaded: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HOTLINE_UTC_OFFSET_HOURS", offset)

    assert main(["replay", "JN12345-20230116-0088"]) == 1
    err = one_line(capsys)
    assert err.startswith("hotline: bad setting: HOTLINE_UTC_OFFSET_HOURS:")
    assert problem in err


def test_a_version_the_ticket_has_not_reached_is_refused_as_the_api_does(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", "JN12345-20230116-0088", "--version", "99"]) == 1
    assert "at version 99 (it is at version 7)" in one_line(capsys)


def test_a_failed_export_leaves_an_earlier_file_as_it_was(
    loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    earlier = tmp_path / "case.jsonl"
    assert main(["audit", "export", "JN12345-20230116-0088", "--out", str(earlier)]) == 0
    exported = earlier.read_bytes()

    assert main(["audit", "export", "NO-SUCH-ORDER", "--out", str(earlier)]) == 1
    one_line(capsys)
    assert earlier.read_bytes() == exported
    assert [p.name for p in tmp_path.glob("*case*")] == ["case.jsonl"]  # no partial file left behind


@pytest.mark.parametrize(
    ("arguments", "refusal"),
    [
        (["--unit", "明星社区居委会", "--from", "2024-02-01T00:00+08:00", "--to", "2024-01-01T00:00+08:00"],
         "--from (2024-02-01T00:00:00+08:00) must be before --to"),
        (["JN12345-20230116-0088", "--from", "2024-01-01T00:00+08:00"], "--from and --to go with --unit"),
        (["JN12345-20230116-0088", "--out", "/nonexistent-dir/case.jsonl"], "no directory /nonexistent-dir"),
    ],
)  # fmt: skip
def test_an_export_that_cannot_be_what_was_asked_says_why(
    arguments: list[str], refusal: str, loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "export", *arguments]) == 1
    assert refusal in one_line(capsys)


def test_a_time_that_is_not_one_is_named_as_such(loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["audit", "export", "--unit", "明星社区居委会", "--from", "last week", "--to", "now"])
    assert "'last week' is not an ISO 8601 time" in capsys.readouterr().err


def test_keygen_makes_the_directory_for_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "keys" / "hotline-auditor.key"

    assert main(["audit", "keygen", "--out", str(out)]) == 0
    assert out.is_file()
    assert (out.parent.stat().st_mode & 0o777) == 0o700


@pytest.mark.postgres
@pytest.mark.parametrize(
    "command", [["serve", "--port", "0"], ["demo"], ["worker"], ["keys", "list"]], ids=" ".join
)
def test_a_postgres_database_that_does_not_exist_is_said_at_once_not_waited_for(
    command: list[str],
    postgres_schema: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = f"missing_{uuid.uuid4().hex[:8]}"
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{missing}?connect_timeout=2"
    monkeypatch.setenv("HOTLINE_DATABASE_URL", url)

    assert main(command) == 1
    err = one_line(capsys)
    assert f'database "{missing}" does not exist' in err
    assert "couldn't get a connection" not in err  # not a pool that waited out its timeout
