"""The `hotline` command line: the seed cases loaded idempotently, and replayed as timelines or JSON."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest

from api.cli import main
from application.projections import PROJECTIONS
from application.seed_cases import SEED_CASES
from domain.values import Outcome
from infrastructure.projections.keeper import keeping_the_views
from infrastructure.projections.tables import AUDIT, BOARD
from infrastructure.projections.views import open_view
from infrastructure.stores import store_for
from infrastructure.wiring import open_case_handling


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/hotline.db"
    monkeypatch.setenv("HOTLINE_DATABASE_URL", url)
    return url


@pytest.fixture
def loaded(database: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["demo"]) == 0
    capsys.readouterr()
    return database


def history_types(url: str, reference: str) -> list[str]:
    app = open_case_handling(store_for(url))
    try:
        return [entry.type for entry in app.history(app.find(reference))]
    finally:
        app.close()


def test_the_demo_loads_every_case_of_the_seed(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0

    out = capsys.readouterr().out
    assert {f"案例{case}" for case in range(1, 8)} <= set(out.split())
    expected_events = sum(1 + len(script.steps) for script in SEED_CASES)
    assert f"{expected_events} events recorded" in out
    assert f"into the sqlite store at {Path(database.removeprefix('sqlite:///')).resolve()}:" in out
    assert history_types(database, "JN12345-20230116-0088") == [
        "received", "coordinated", "contacted", "site-visited", "resolved", "feedback-given", "praised",
    ]  # fmt: skip


def test_the_demo_cases_carry_their_story(loaded: str) -> None:
    app = open_case_handling(store_for(loaded))
    try:
        benches = app.ticket(app.find("MXSQ-WS-20231010-01"))
        pipe = app.ticket(app.find("JN12345-20240220-0156"))
        many = [app.ticket(app.find(s.intake.external_ref or "")) for s in SEED_CASES if s.case == 7]
        times = [
            e.occurred_at for s in SEED_CASES for e in app.history(app.find(s.intake.external_ref or ""))
        ]
    finally:
        app.close()

    assert (benches.channel.value, benches.caller, benches.status.value) == ("proactive", None, "closed")
    assert benches.praise_count == 1
    assert pipe.outcome is Outcome.EXPLAINED
    assert len({t.caller for t in many}) == len(many) >= 3
    assert {t.category for t in many} == {"housing.property_certificate", "utilities.gas_refund"}
    assert all(2023 <= t.year <= 2024 for t in times)
    assert {t.utcoffset() for t in times} == {timedelta(hours=8)}


def test_running_the_demo_again_records_nothing_new(loaded: str, capsys: pytest.CaptureFixture[str]) -> None:
    app = open_case_handling(store_for(loaded))
    position = app.recorder.max_notification_id()
    app.close()

    assert main(["demo"]) == 0

    assert "nothing new recorded" in capsys.readouterr().out
    app = open_case_handling(store_for(loaded))
    assert app.recorder.max_notification_id() == position
    app.close()


def test_replay_prints_a_timeline_by_external_reference_or_id(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", "JN12345-20230116-0088"]) == 0
    by_reference = capsys.readouterr().out
    ticket_id = by_reference.split("(")[1].split(")")[0]
    assert main(["replay", ticket_id]) == 0

    assert capsys.readouterr().out == by_reference
    assert UUID(ticket_id)
    for label in ("受理", "协调", "联系诉求人", "现场核查", "办结", "回访", "表扬", "城肥一处", "魏女士"):
        assert label in by_reference
    assert "v7 " in by_reference


def test_replay_at_a_version_or_a_business_time_shows_the_case_as_it_was(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", "JN12345-20230116-0088", "--version", "2", "--json"]) == 0
    at_version = json.loads(capsys.readouterr().out)
    assert main(["replay", "JN12345-20230116-0088", "--as-of", "2023-01-16T15:00+08:00", "--json"]) == 0
    as_of = json.loads(capsys.readouterr().out)

    assert (at_version["ticket"]["version"], at_version["ticket"]["status"]) == (2, "in_progress")
    assert [e["type"] for e in at_version["history"]] == ["received", "coordinated"]
    assert as_of["ticket"]["status"] == "in_progress"
    assert [e["type"] for e in as_of["history"]][-1] == "site-visited"
    assert as_of["ticket"]["caller"]["name"] == "魏女士"


def test_replay_gives_every_time_in_the_deployments_zone(
    loaded: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTLINE_UTC_OFFSET_HOURS", "0")

    assert main(["replay", "JN12345-20230116-0088", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert main(["replay", "JN12345-20230116-0088"]) == 0
    text = capsys.readouterr().out

    intake = document["history"][0]
    deadlines = intake["data"]["deadlines"]
    ticket = document["ticket"]
    times = [ticket["received_at"], ticket["deadlines"]["respond_by"], intake["occurred_at"],
             intake["recorded_at"], deadlines["respond_by"], deadlines["resolve_by"]]  # fmt: skip
    assert all(t.endswith("+00:00") for t in times), times
    assert "+08:00" not in text
    assert "回音时限 2023-01-17 00:45+00:00" in text  # the intake at 08:45+08:00, 24 hours to respond


def test_replay_known_at_a_time_before_recording_finds_nothing(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["replay", "JN12345-20230116-0088", "--known-at", "2023-01-20T00:00+08:00"])

    err = capsys.readouterr().err
    assert code == 1
    assert "not yet recorded" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["replay", "JN-NO-SUCH-TICKET"], "No ticket JN-NO-SUCH-TICKET"),
        (["replay", "JN12345-20230116-0088", "--as-of", "2023-01-16 15:00"], "needs a UTC offset"),
        (["replay", "JN12345-20230116-0088", "--as-of", "yesterday"], "not an ISO 8601 time"),
        (["replay", "JN12345-20230116-0088", "--version", "0"], "--version must be 1 or more"),
    ],
)
def test_replay_refuses_what_it_cannot_show_with_one_line(
    loaded: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code = main(argv)

    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_an_unsupported_database_url_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", "mysql://localhost/hotline")

    assert main(["demo"]) == 1
    assert "Unsupported HOTLINE_DATABASE_URL" in capsys.readouterr().err


def test_a_rebuild_refuses_while_the_server_keeps_the_views(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with keeping_the_views(store_for(loaded)):  # as `hotline serve` does on SQLite
        code = main(["projections", "rebuild"])

    assert code != 0
    assert "stop it first" in capsys.readouterr().err
    assert main(["projections", "rebuild"]) == 0


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["projections", "status"], ["demo"]])
def test_a_database_that_cannot_be_reached_is_a_one_line_error(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/hotline?connect_timeout=1")

    code = main(command)

    err = capsys.readouterr().err
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "store failed" in err or "cannot open the store" in err
    assert "Connection refused" in err  # why, not only how long a pool waited


def test_output_cut_short_by_its_reader_ends_without_a_traceback(loaded: str) -> None:
    hotline = Path(sys.executable).parent / "hotline"
    reader, writer = os.pipe()
    os.close(reader)  # as `| head` does once it has what it wants
    try:
        done = subprocess.run(
            [str(hotline), "replay", "JN12345-20230116-0088", "--json"],
            stdout=writer, stderr=subprocess.PIPE, env={**os.environ, "HOTLINE_DATABASE_URL": loaded},
            check=False, timeout=60,
        )  # fmt: skip
    finally:
        os.close(writer)

    assert done.returncode == 1
    assert done.stderr == b""


def test_a_new_store_is_readable_by_its_owner_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "var" / "hotline.db"  # callers' names and phones: not for every user of the machine
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{store}")

    assert main(["demo"]) == 0

    modes = {path.name: path.stat().st_mode & 0o777 for path in store.parent.glob("hotline.db*")}
    assert modes["hotline.db"] == 0o600
    assert set(modes.values()) == {0o600}


def test_projections_status_names_each_view_with_its_version_and_lag(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = open_case_handling(store_for(loaded))
    log_end = app.recorder.max_notification_id()
    app.close()

    assert main(["projections", "status"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [["status_board", "v2"], ["response_audit", "v2"]]
    for line in lines:  # the demo's process kept no views: they are as far behind as the log is long
        assert line.split()[4:8] == ["log", str(log_end), "lag", str(log_end)]
        assert "not created yet" in line


def test_projections_status_only_looks(loaded: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = store_for(loaded)
    for projection in PROJECTIONS:  # kept once, then a rebuild killed before it built the indexes
        open_view(store, projection).drop_indexes()

    assert main(["projections", "status"]) == 0

    out = capsys.readouterr().out
    assert out.count("indexes missing") == 2
    assert f"{len(BOARD.indexes)} indexes missing" in out
    with closing(sqlite3.connect(loaded.removeprefix("sqlite:///"))) as db:  # nothing was built meanwhile
        indexes = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert not indexes & {*BOARD.index_names, *AUDIT.index_names}


def test_projections_status_creates_no_view(loaded: str) -> None:
    assert main(["projections", "status"]) == 0

    with closing(sqlite3.connect(loaded.removeprefix("sqlite:///"))) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not tables & {BOARD.name, BOARD.tracking_name, AUDIT.name, AUDIT.tracking_name}


def test_projections_verify_compares_the_views_with_the_log(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["projections", "verify"]) == 0
    assert capsys.readouterr().out.count("not created yet: no row to check") == 2
    assert main(["projections", "rebuild"]) == 0
    assert main(["projections", "verify"]) == 0
    assert capsys.readouterr().out.count("11 rows at position") == 2
    with closing(sqlite3.connect(loaded.removeprefix("sqlite:///"))) as db:
        db.execute(f"UPDATE {BOARD.name} SET status = 'closed'")
        db.commit()

    assert main(["projections", "verify"]) == 2
    out, err = capsys.readouterr()
    lines = {line.split()[0]: line for line in out.splitlines() if not line.startswith(" ")}
    assert lines["status_board"].endswith("DIFFER from the log")
    assert lines["response_audit"].endswith("agree with the log")
    assert "  2 differ: " in out  # the two tickets of the demo not closed now say they are
    assert "rebuild it" in err
