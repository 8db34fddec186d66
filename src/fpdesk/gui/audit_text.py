"""The details of a record-of-processing line in words, in the window's language.

The log keeps each line's details as JSON with stable keys and codes (never prose in
one language); this turns them into "文件：x.pdf；行数：3" for the table.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from fpdesk.core import codes
from fpdesk.core.i18n import current_language
from fpdesk.reports.pdf import PRINTOUTS

CONTEXT = "AuditDetail"

KEYS = {
    "kind": QT_TRANSLATE_NOOP("AuditDetail", "printout"),
    "period": QT_TRANSLATE_NOOP("AuditDetail", "period"),
    "folder": QT_TRANSLATE_NOOP("AuditDetail", "folder"),
    "bundles": QT_TRANSLATE_NOOP("AuditDetail", "bundles"),
    "file": QT_TRANSLATE_NOOP("AuditDetail", "file"),
    "run": QT_TRANSLATE_NOOP("AuditDetail", "import run"),
    "exported": QT_TRANSLATE_NOOP("AuditDetail", "exported to"),
    "rows": QT_TRANSLATE_NOOP("AuditDetail", "rows"),
    "user": QT_TRANSLATE_NOOP("AuditDetail", "user name"),
    "added": QT_TRANSLATE_NOOP("AuditDetail", "account added"),
    "role": QT_TRANSLATE_NOOP("AuditDetail", "role"),
    "area_code": QT_TRANSLATE_NOOP("AuditDetail", "area code"),
    "converted": QT_TRANSLATE_NOOP("AuditDetail", "register converted to accounts"),
    "removed": QT_TRANSLATE_NOOP("AuditDetail", "account removed"),
    "new_passphrase": QT_TRANSLATE_NOOP("AuditDetail", "new passphrase for"),
    "recovered": QT_TRANSLATE_NOOP("AuditDetail", "passphrase reset with the recovery key for"),
    "new_recovery_key": QT_TRANSLATE_NOOP("AuditDetail", "new recovery key"),
    "label": QT_TRANSLATE_NOOP("AuditDetail", "backup"),
    "from": QT_TRANSLATE_NOOP("AuditDetail", "restored from"),
    "made_at": QT_TRANSLATE_NOOP("AuditDetail", "made at"),
    "out": QT_TRANSLATE_NOOP("AuditDetail", "written to"),
    "command": QT_TRANSLATE_NOOP("AuditDetail", "command"),
    "step": QT_TRANSLATE_NOOP("AuditDetail", "step"),
    "warning": QT_TRANSLATE_NOOP("AuditDetail", "warning"),
    "choice": QT_TRANSLATE_NOOP("AuditDetail", "answer"),
    "method": QT_TRANSLATE_NOOP("AuditDetail", "method"),
    "birth_date": QT_TRANSLATE_NOOP("AuditDetail", "birth date"),
    "held": QT_TRANSLATE_NOOP("AuditDetail", "held bundle"),
    "device": QT_TRANSLATE_NOOP("AuditDetail", "laptop"),
    "village": QT_TRANSLATE_NOOP("AuditDetail", "village"),
    "area": QT_TRANSLATE_NOOP("AuditDetail", "area"),
    "action": QT_TRANSLATE_NOOP("AuditDetail", "decision"),
    "reason": QT_TRANSLATE_NOOP("AuditDetail", "reason"),
    "applied": QT_TRANSLATE_NOOP("AuditDetail", "applied"),
    "queued": QT_TRANSLATE_NOOP("AuditDetail", "queued"),
}
# Codes any key may hold: workbooks, backup kinds, held-bundle decisions.
CODES = {
    "assessment": QT_TRANSLATE_NOOP("AuditDetail", "assessment sheet"),
    "annual": QT_TRANSLATE_NOOP("AuditDetail", "annual forms"),
    "monthly": QT_TRANSLATE_NOOP("AuditDetail", "monthly change report"),
    "daily": QT_TRANSLATE_NOOP("AuditDetail", "daily"),
    "exit": QT_TRANSLATE_NOOP("AuditDetail", "on quitting"),
    "manual": QT_TRANSLATE_NOOP("AuditDetail", "made by hand"),
    "before-accounts": QT_TRANSLATE_NOOP("AuditDetail", "before accounts"),
    "apply": QT_TRANSLATE_NOOP("AuditDetail", "applied"),
    "discard": QT_TRANSLATE_NOOP("AuditDetail", "discarded"),
}
VALUES = {
    ("role", "officer"): QT_TRANSLATE_NOOP("AuditDetail", "village officer"),
    ("role", "clerk"): QT_TRANSLATE_NOOP("AuditDetail", "township clerk"),
    ("role", "administrator"): QT_TRANSLATE_NOOP("AuditDetail", "administrator"),
    ("warning", "birth_during_method"): QT_TRANSLATE_NOOP(
        "AuditDetail", "birth while a method was in place"
    ),
    ("choice", "end"): QT_TRANSLATE_NOOP("AuditDetail", "method ended"),
    ("choice", "pregnancy"): QT_TRANSLATE_NOOP("AuditDetail", "pregnancy recorded"),
    ("choice", "as_is"): QT_TRANSLATE_NOOP("AuditDetail", "checked, saved as it was"),
}
# The command line's own words (fpdesk print households): said as what they do.
COMMANDS = {
    "bundle": QT_TRANSLATE_NOOP("AuditDetail", "change bundles"),
    "print": QT_TRANSLATE_NOOP("AuditDetail", "printing"),
    "report": QT_TRANSLATE_NOOP("AuditDetail", "report"),
    "indicators": QT_TRANSLATE_NOOP("AuditDetail", "indicators"),
    "lists": QT_TRANSLATE_NOOP("AuditDetail", "lists of names"),
    "audit": QT_TRANSLATE_NOOP("AuditDetail", "statistics audit"),
    "enroll": QT_TRANSLATE_NOOP("AuditDetail", "enrollment"),
    "devices": QT_TRANSLATE_NOOP("AuditDetail", "laptops"),
    "conflicts": QT_TRANSLATE_NOOP("AuditDetail", "conflicts"),
    "export": QT_TRANSLATE_NOOP("AuditDetail", "export"),
    "import": QT_TRANSLATE_NOOP("AuditDetail", "import"),
    "resolve": QT_TRANSLATE_NOOP("AuditDetail", "resolve"),
    "revoke": QT_TRANSLATE_NOOP("AuditDetail", "revoke"),
    "sample": QT_TRANSLATE_NOOP("AuditDetail", "draw a sample"),
    "record": QT_TRANSLATE_NOOP("AuditDetail", "record findings"),
    "accuracy": QT_TRANSLATE_NOOP("AuditDetail", "accuracy"),
}
HIDDEN = {"woman_id", "contraception_id"}  # record ids: no one reads them here


def _tr(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _tr(QT_TRANSLATE_NOOP("AuditDetail", "yes")) if value else _tr(
            QT_TRANSLATE_NOOP("AuditDetail", "no")
        )
    if (key, value) in VALUES:
        return _tr(VALUES[(key, value)])
    if key in ("command", "step") and value in COMMANDS:
        return _tr(COMMANDS[value])
    if key in ("kind", "step") and value in PRINTOUTS:
        return PRINTOUTS[value].get(current_language())
    if isinstance(value, str) and value in CODES:
        return _tr(CODES[value])
    if key == "method" and codes.exists("contraceptive_method", value):
        return codes.label("contraceptive_method", value)
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def describe(detail: dict[str, Any] | None) -> str:
    """'key: value; ...' in the window's language; unknown keys as they are."""
    if not detail:
        return ""
    sep = "；" if current_language() == "zh" else "; "
    colon = "：" if current_language() == "zh" else ": "
    parts = []
    order = list(KEYS)  # the log stores keys sorted; read them in a sensible order
    for key, value in sorted(
        detail.items(), key=lambda kv: order.index(kv[0]) if kv[0] in KEYS else len(order)
    ):
        if key in HIDDEN or value in (None, ""):
            continue
        if value is True and key in ("new_recovery_key", "converted"):
            parts.append(_tr(KEYS[key]))
            continue
        label = _tr(KEYS[key]) if key in KEYS else key
        parts.append(f"{label}{colon}{_value(key, value)}")
    return sep.join(parts)
