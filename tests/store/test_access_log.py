"""The record of processing: rows, who and when, reading limits, CSV and JSON export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from fpdesk.store import access_log
from fpdesk.store.db import Register


def test_rows_say_who_what_and_when(register: Register) -> None:
    seq = access_log.record(register, "print", {"what": "woman card"}, at="2026-03-01T10:00:00")
    access_log.record(register, "export", {"file": "b.age"}, at="2026-03-02T10:00:00")
    rows = access_log.read(register)
    assert rows[0] == {
        "seq": seq,
        "at": "2026-03-01T10:00:00",
        "account": "测试员",  # the actor of a register without accounts
        "action": "print",
        "detail": {"what": "woman card"},
    }
    # Reading the log is itself kept in it (after the rows read).
    assert [r["action"] for r in access_log.read(register, since="2026-03-02")] == [
        "export",
        "audit_log",
    ]
    assert [r["action"] for r in access_log.read(register, action="print")] == ["print"]
    last = access_log.read(register, action="audit_log")[-1]
    assert last["detail"] == {"rows": 1, "action": "print"}


def test_each_filter_narrows_and_they_combine(register: Register) -> None:
    access_log.record(register, "print", at="2026-03-01T10:00:00", account="王芳")
    access_log.record(register, "export", at="2026-03-02T10:00:00", account="王芳")
    access_log.record(register, "print", at="2026-03-03T10:00:00", account="李明")

    def seen(**asked: str) -> list[tuple[str, str]]:
        rows = access_log.read(register, **asked)
        return [(r["at"][:10], r["account"]) for r in rows if r["action"] != "audit_log"]

    assert seen(until="2026-03-02") == [("2026-03-01", "王芳")]
    assert seen(account="李明") == [("2026-03-03", "李明")]
    assert seen(account="王芳", action="export") == [("2026-03-02", "王芳")]
    assert seen(since="2026-03-02", until="2026-03-03", account="王芳") == [("2026-03-02", "王芳")]
    assert len(seen(account="")) == 3  # an empty filter reads every row


def test_unknown_actions_are_a_bug(register: Register) -> None:
    with pytest.raises(ValueError):
        access_log.record(register, "peek")


def test_a_failed_transaction_takes_its_audit_row_with_it(register: Register) -> None:
    with pytest.raises(RuntimeError), register.transaction():
        access_log.record(register, "report")
        raise RuntimeError("the report failed")
    assert access_log.read(register) == []


def test_export_csv_and_json(register: Register, tmp_path: Path) -> None:
    access_log.record(register, "report", {"kind": "月报", "period": "2026-02"})
    rows = access_log.read(register)
    exported = access_log.export(register, rows, tmp_path / "log.csv")
    with exported.open(encoding="utf-8-sig") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["action"] == "report" and json.loads(row["detail"])["kind"] == "月报"
    data = json.loads(
        access_log.export(register, rows, tmp_path / "log.json").read_text(encoding="utf-8")
    )
    assert data == rows
    with pytest.raises(ValueError):
        access_log.export(register, rows, tmp_path / "log.txt")
    exported = access_log.read(register, action="audit_log")[-1]["detail"]
    assert exported == {"exported": "log.json", "rows": 1}
