"""The record of processing: who logged in, failed to, exported, imported, printed,
reported, backed up or changed accounts, and when.

Edits are already in change_log with their actor; this log keeps everything else,
in the register itself (encrypted with it), readable by an administrator and
exportable as CSV or JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from fpdesk.store import access
from fpdesk.store.connection import Register

ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "export",
    "import",
    "print",
    "report",
    "backup",
    "restore",
    "accounts",
    "audit_log",
    "enroll",
    "command",
    "warning_confirmed",  # a warning the officer answered (a birth with an IUD in place)
)
COLUMNS = ("seq", "at", "account", "action", "detail")


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def who(register: Register) -> str | None:
    account = access.account_of(register)
    if account is not None:
        return account.name
    return actor(register)


def actor(register: Register) -> str | None:
    """The name the person working on this laptop gave (local_state), if any."""
    row = register.conn.execute("SELECT value FROM local_state WHERE key = 'actor'").fetchone()
    return str(row[0]) if row and row[0] else None


def record(
    register: Register,
    action: str,
    detail: dict[str, Any] | None = None,
    *,
    at: str | None = None,
    account: str | None = None,
) -> int:
    """One row in the log, in its own (or the caller's) transaction; returns its seq."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
    with register.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO access_log (at, account, action, detail) VALUES (?, ?, ?, ?)",
            (at or _now(), account if account is not None else who(register), action, text),
        )
    return int(cursor.lastrowid)


def read(
    register: Register,
    *,
    since: str | None = None,
    until: str | None = None,
    action: str | None = None,
    account: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The log, oldest first; an administrator's (or an account-less register's) to read.
    Reading it is itself kept in the log (after the rows read)."""
    access.require(register, "audit_log")
    where, params = ["1 = 1"], []
    filters = (
        ("at >= ?", since),
        ("at < ?", until),
        ("action = ?", action),
        ("account = ?", account),
    )
    for condition, value in filters:
        if value:  # a filter left empty reads every row
            where.append(condition)
            params.append(value)
    sql = f"SELECT {', '.join(COLUMNS)} FROM access_log WHERE {' AND '.join(where)} ORDER BY seq"
    if limit:
        sql += f" LIMIT {int(limit)}"
    rows = register.query(sql, params)
    for row in rows:
        row["detail"] = json.loads(row["detail"] or "{}")
    asked = {"since": since, "until": until, "action": action, "account": account}
    record(register, "audit_log", {"rows": len(rows), **{k: v for k, v in asked.items() if v}})
    return rows


def export(register: Register, rows: list[dict[str, Any]], path: str | os.PathLike[str]) -> Path:
    """Write rows read from the log to .csv (UTF-8 with BOM, so Excel shows the Chinese)
    or .json; the export is itself kept in the log."""
    access.require(register, "audit_log")
    target = Path(path)
    if target.suffix.lower() == ".json":
        target.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    elif target.suffix.lower() == ".csv":
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for row in rows:
                values = dict(row, detail=json.dumps(row["detail"], ensure_ascii=False))
                writer.writerow([values[c] for c in COLUMNS])
    else:
        raise ValueError("the audit log is exported as .csv or .json")
    record(register, "audit_log", {"exported": target.name, "rows": len(rows)})
    return target
