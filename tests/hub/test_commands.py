"""fpdesk hub init|status on a real PostgreSQL: the embedded default and --url, each
message in both languages, refusals with a non-zero exit and nothing written.

(Here rather than in tests/commands/: they share this folder's real server.)
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from fpdesk.cli import main
from fpdesk.hub import schema, server
from tests.hub.conftest import outside_pytest_temp


def run(capsys: pytest.CaptureFixture[str], lang: str, *argv: str) -> tuple[int, str, str]:
    status = main(["--lang", lang, *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def data_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The user's data folder, where the embedded hub lives (outside pytest's
    temporary root: see outside_pytest_temp)."""
    folder = outside_pytest_temp()
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_init_without_url_makes_the_embedded_hub_and_stops_it(
    pg_server: Any, data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert server.data_folder().is_relative_to(data_home)
    # Before init, status finds no hub here and makes nothing.
    status, out, err = run(capsys, "zh", "hub", "status")
    assert (status, out) == (1, "") and "还没有汇总库" in err and "fpdesk hub init" in err
    assert list(data_home.iterdir()) == []
    status, out, err = run(capsys, "zh", "hub", "init")
    assert (status, err) == (0, "")
    assert "汇总库已就绪" in out and "0001_townships" in out
    status, out, _ = run(capsys, "en", "hub", "status", "--json")
    assert status == 0
    shown = json.loads(out)
    assert shown["version"] == schema.schema_version()
    assert (shown["townships"], shown["late"], shown["holes"]) == ([], [], [])
    status, out, _ = run(capsys, "zh", "hub", "status")
    assert status == 0 and "还没有乡镇加入" in out
    assert (server.data_folder() / "PG_VERSION").exists()
    # fpdesk stopped its server after each command: the hub is now a server that is down.
    url = server.database_url(f"postgresql://postgres:@/postgres?host={server.data_folder()}", "x")
    status, out, err = run(capsys, "en", "hub", "status", "--url", url)
    assert status == 1 and out == ""
    assert "cannot be reached" in err and "Traceback" not in err


def test_init_with_url_then_again_changes_nothing(
    hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "en", "hub", "init", "--url", hub_url, "--json")
    assert status == 0
    assert json.loads(out)["applied"] == [name for name, _ in schema.STEPS]
    status, out, _ = run(capsys, "en", "hub", "init", "--url", hub_url)
    assert status == 0 and "up to date; nothing changed" in out
    assert "postgres:@" not in out  # the address is shown as server/database


def test_a_newer_hub_is_refused_by_init_and_status(
    hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "en", "hub", "init", "--url", hub_url)[0] == 0
    with psycopg.connect(hub_url) as conn:
        conn.execute(
            "INSERT INTO hub_schema_version (position, name) VALUES (%s, '9999_later')",
            (schema.schema_version() + 1,),
        )
    for command in ("init", "status"):
        status, out, err = run(capsys, "zh", "hub", command, "--url", hub_url)
        assert (status, out) == (1, "")
        assert "更新版本的 fpdesk" in err and "没有做任何改动" in err
    with psycopg.connect(hub_url) as conn:
        rows = conn.execute("SELECT count(*) FROM hub_schema_version").fetchone()
    assert rows == (schema.schema_version() + 1,)


def test_status_of_a_database_that_is_no_hub(
    hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "en", "hub", "status", "--url", hub_url)
    assert status == 1 and "fpdesk hub init" in err


def test_a_wrong_address_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "zh", "hub", "init", "--url", "localhost:5432/hub")
    assert (status, out) == (1, "")
    assert "汇总库地址写得不对" in err
