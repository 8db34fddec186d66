"""Forms the officer has not saved yet, kept in the local `draft` table (never sent)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fpdesk.core.ids import new_id
from fpdesk.store.db import Register


@dataclass(frozen=True)
class Draft:
    """A form the officer had not saved: what kind, opened for what, and what was typed."""

    id: str
    kind: str
    context: dict[str, Any]
    values: dict[str, Any]
    saved_at: str


def save_draft(
    register: Register,
    draft_id: str | None,
    kind: str,
    context: Mapping[str, Any],
    values: Mapping[str, Any],
) -> str:
    """Keep (or refresh) a form's unsaved values; returns the draft's id."""
    draft_id = draft_id or new_id()
    with register.transaction() as conn:
        conn.execute(
            'INSERT INTO draft (id, kind, context, "values", saved_at) VALUES (?, ?, ?, ?, ?) '
            "ON CONFLICT (id) DO UPDATE SET context = excluded.context, "
            '"values" = excluded."values", saved_at = excluded.saved_at',
            (
                draft_id,
                kind,
                json.dumps(dict(context), ensure_ascii=False),
                json.dumps(dict(values), ensure_ascii=False),
                dt.datetime.now().isoformat(timespec="seconds"),
            ),
        )
    return draft_id


def drop_draft(register: Register, draft_id: str) -> None:
    with register.transaction() as conn:
        conn.execute("DELETE FROM draft WHERE id = ?", (draft_id,))


def drafts(register: Register) -> list[Draft]:
    """Every unsaved form, oldest first."""
    return [
        Draft(
            id=row["id"],
            kind=row["kind"],
            context=json.loads(row["context"]),
            values=json.loads(row["values"]),
            saved_at=row["saved_at"],
        )
        for row in register.query(
            'SELECT id, kind, context, "values", saved_at FROM draft ORDER BY saved_at, id'
        )
    ]
