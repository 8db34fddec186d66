"""Every command, every role, its own area and another: allowed, narrowed or refused.

One real township register (two villages, hand-made in tests.reports.world, two
enrolled village laptops) is copied for each cell, then the command runs for real
through `fpdesk.cli.main`, logged in as the role's account (or, for a register without
accounts, with its passphrase alone).  What each cell shows is read back from what the
command printed or wrote: JSON on stdout, the PDF (pdftotext), the workbook (openpyxl),
the bundles' recipients, the backup file.  An allowed or narrowed cell also finds its
row in the record of processing, written by the operation itself; a refused one writes
nothing and says so in both languages.

The roles and the areas they ask for:
  officer        account of village A on the township laptop: own A, other B
  clerk          account of the township: own B (not the officer's), other X
  administrator  account of the register's whole area: own B, other X
  none           the register without accounts (its passphrase): own B, other X
X is a village of another township, which this register cannot hold.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from fpdesk.cli import main
from fpdesk.store import access, accounts, keyring, records
from fpdesk.store import operations as ops
from fpdesk.store.db import Register, create_register, open_register
from fpdesk.sync import keys
from tests.conftest import PASSPHRASE
from tests.reports import world
from tests.reports.pdf.conftest import pdf_text
from tests.reports.world import TOWNSHIP, VILLAGE_A, VILLAGE_B
from tests.sync.helpers import enroll

VILLAGE_X = "450102002201"  # another township's village
ON = "2019-09-01"  # the world's year: follow-ups of both villages are overdue
MARKERS = {VILLAGE_A: ("甲秀英", "甲村", VILLAGE_A), VILLAGE_B: ("乙秀兰", "乙社区", VILLAGE_B)}
BOTH = frozenset({VILLAGE_A, VILLAGE_B})
BAD_IDS = {VILLAGE_A: "450102199202021230", VILLAGE_B: "450102199202021231"}  # not ...3

ACCOUNTS = {
    "officer": ("李专干", "officer-pass-1", "officer", VILLAGE_A),
    "clerk": ("张文书", "clerk-pass-1", "clerk", TOWNSHIP),
    "administrator": ("王管理", "admin-pass-1", "administrator", None),
}
ASKS = {  # role -> (own area, other area)
    "officer": (VILLAGE_A, VILLAGE_B),
    "clerk": (VILLAGE_B, VILLAGE_X),
    "administrator": (VILLAGE_B, VILLAGE_X),
    "none": (VILLAGE_B, VILLAGE_X),
}

# Outcomes a cell can have.
OWN = "allowed: the area asked for"
ALL = "allowed: the whole register"
NARROWED = "narrowed: the officer's village only"
REFUSED = "refused"
NOT_HERE = "as today: the register holds nothing of that area"
WRITTEN = "allowed: written"


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring, "SCRYPT_N", 2**10)


def _add_marked_woman(w: world.World, village: str, name: str) -> None:
    """A married woman with an IUD since July: her follow-up is overdue on ON.  Her ID
    number's check digit is wrong, so `fpdesk check` names her."""
    household = f"H-{name}"
    w.household(household, village)
    w.person(name, household, 2, "1992-02-02", marital_status=20, id_number=BAD_IDS[village])
    w.marry(name, None, "2015-05-05")
    w.method(f"{name}-iud", name, "iud", "2019-07-01")


@pytest.fixture(scope="module")
def _registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """templates/none: the township without accounts; templates/accounts: the same
    register with an administrator, a clerk and village A's officer."""
    root = tmp_path_factory.mktemp("scope")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keyring, "SCRYPT_N", 2**10)
        path = root / "none" / "township.fpdesk"
        path.parent.mkdir()
        with create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP) as reg:
            reg.set_actor("文员")
            w = world.build(reg)
            _add_marked_woman(w, VILLAGE_A, "甲秀英")
            _add_marked_woman(w, VILLAGE_B, "乙秀兰")
            keys.create_recovery_identity(reg, root / "recovery.txt")
            for code in (VILLAGE_A, VILLAGE_B):
                laptop = root / f"village-{code}.fpdesk"
                with create_register(laptop, PASSPHRASE, role="village", area_code=code) as v:
                    enroll(reg, v, root)
        shutil.copytree(path.parent, root / "accounts")
        converted = root / "accounts" / "township.fpdesk"
        name, secret, _, _ = ACCOUNTS["administrator"]
        with open_register(converted, PASSPHRASE) as reg:
            accounts.add(reg, name, "administrator", None, secret)  # turns to accounts
        with accounts.login(converted, name, secret) as reg:
            for role in ("clerk", "officer"):
                name, secret, _, code = ACCOUNTS[role]
                accounts.add(reg, name, role, code, secret)
    return root


@dataclass
class Cell:
    """One command run: what it printed, its status, and the files it left."""

    status: int
    out: str
    err: str
    folder: Path
    register: Path


def _login(monkeypatch: pytest.MonkeyPatch, role: str) -> None:
    if role == "none":
        monkeypatch.delenv("FPDESK_USER", raising=False)
        monkeypatch.setenv("FPDESK_PASSPHRASE", PASSPHRASE)
    else:
        name, secret, _, _ = ACCOUNTS[role]
        monkeypatch.setenv("FPDESK_USER", name)
        monkeypatch.setenv("FPDESK_PASSPHRASE", secret)


@pytest.fixture
def register_for(
    _registers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str], Path]:
    def copy(role: str) -> Path:
        source = _registers / ("none" if role == "none" else "accounts")
        shutil.copytree(source, tmp_path / "register")
        _login(monkeypatch, role)
        return tmp_path / "register" / "township.fpdesk"

    return copy


# ---------------------------------------------------------------- what a cell shows


def _marked(text: str) -> set[str]:
    return {code for code, marks in MARKERS.items() if any(m in text for m in marks)}


def _pdf_text(path: Path) -> str:
    return pdf_text(path)


def _workbook_text(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )


def seen_in_output(cell: Cell) -> set[str]:
    return _marked(cell.out)


def seen_in_file(cell: Cell) -> set[str]:
    found = list(cell.folder.glob("out.*"))
    if not found:
        return set()
    path = found[0]
    if path.suffix == ".pdf":
        return _marked(_pdf_text(path))
    return _marked(_workbook_text(path))


def seen_in_indicators(cell: Cell) -> set[str]:
    """The areas reported, and the villages of the persons listed behind the numbers."""
    found = _marked(cell.out)
    for report in json.loads(cell.out)["reports"] if cell.status == 0 else []:
        for code in report["areas"]:
            found |= set(BOTH) if code == TOWNSHIP else {code} & BOTH
    return found


def seen_in_bundles(cell: Cell) -> set[str]:
    if cell.status:
        return set()
    return {e["recipient_area"] for e in json.loads(cell.out)} & BOTH


def seen_in_check(cell: Cell) -> set[str]:
    """The persons a register check names (a problem elsewhere is counted, unnamed)."""
    failures = json.loads(cell.out)["failures"]
    return _marked(" ".join(f["person_name"] or "" for f in failures))


def seen_whole(cell: Cell) -> set[str]:
    """A backup or the record of processing: the whole register, when made."""
    return set(BOTH) if cell.status == 0 else set()


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Row:
    name: str
    argv: tuple[str, ...]  # {area} is the area asked for, {out} the output folder
    seen: Callable[[Cell], set[str]]
    audit: str | None  # the action the operation keeps in the record of processing
    expected: dict[str, tuple[str, str | None]]  # role -> (own area, other area)
    status: int = 0  # when allowed (a check that finds problems exits 1)


AREA_ROLES = {
    "officer": (OWN, REFUSED),
    "clerk": (OWN, REFUSED),
    "administrator": (OWN, REFUSED),
    "none": (OWN, NOT_HERE),
}
WHOLE_ROLES: dict[str, tuple[str, str | None]] = {
    "officer": (NARROWED, None),
    "clerk": (ALL, None),
    "administrator": (ALL, None),
    "none": (ALL, None),
}
J = "--json"
AREA_OUT = ("--area", "{area}", "--out", "{out}/out.xlsx", J)


def _rows() -> list[Row]:
    def area_row(name: str, argv: tuple[str, ...], seen: Any, audit: str | None) -> Row:
        return Row(name, argv, seen, audit, AREA_ROLES)

    def whole_row(name: str, argv: tuple[str, ...], seen: Any, audit: str | None) -> Row:
        return Row(name, argv, seen, audit, WHOLE_ROLES)

    out_pdf = ("--out", "{out}/out.pdf", "--period", ON)
    rows = [
        area_row(
            "search --village", ("search", "秀", "--village", "{area}", J), seen_in_output, None
        ),
        whole_row("search", ("search", "秀", J), seen_in_output, None),
        area_row(
            "due --village", ("due", "--on", ON, "--village", "{area}", J), seen_in_output, None
        ),
        whole_row("due", ("due", "--on", ON, J), seen_in_output, None),
        area_row(
            "lists overdue --area",
            ("lists", "--kind", "overdue", "--on", ON, "--area", "{area}", J),
            seen_in_output,
            "report",
        ),
        whole_row(
            "lists overdue", ("lists", "--kind", "overdue", "--on", ON, J), seen_in_output, "report"
        ),
        area_row(
            "lists untracked --area",
            ("lists", "--kind", "untracked", "--on", ON, "--area", "{area}", J),
            seen_in_output,
            "report",
        ),
        area_row(
            "indicators --members --area",
            ("indicators", "--period", "2019", "--members", "--area", "{area}", J),
            seen_in_indicators,
            "report",
        ),
        whole_row(
            "indicators --area TOWNSHIP",
            ("indicators", "--period", "2019", "--area", TOWNSHIP, J),
            seen_in_indicators,
            "report",
        ),
        area_row(
            "report --area",
            (
                "report",
                "--kind",
                "annual",
                "--period",
                "2019",
                "--area",
                "{area}",
                "--out",
                "{out}/out.xlsx",
                J,
            ),
            seen_in_file,
            "report",
        ),
        area_row(
            "report --with-lists --area",
            ("report", "--kind", "monthly", "--period", "2019", "--with-lists", *AREA_OUT),
            seen_in_file,
            "report",
        ),
        whole_row(
            "report",
            ("report", "--kind", "annual", "--period", "2019", "--out", "{out}/out.xlsx", J),
            seen_in_file,
            "report",
        ),
        area_row(
            "audit sample --area",
            (
                "audit",
                "sample",
                "--households",
                "1",
                "--seed",
                "1",
                "--period",
                "2019",
                "--area",
                "{area}",
                J,
            ),
            seen_in_output,
            "report",
        ),
        area_row(
            "bundle export --for",
            ("bundle", "export", "--out", "{out}/bundles", "--for", "{area}", J),
            seen_in_bundles,
            "export",
        ),
        whole_row(
            "bundle export --all-villages",
            ("bundle", "export", "--out", "{out}/bundles", "--all-villages", J),
            seen_in_bundles,
            "export",
        ),
        whole_row(
            "bundle export --all-villages --snapshot",
            ("bundle", "export", "--out", "{out}/bundles", "--all-villages", "--snapshot", J),
            seen_in_bundles,
            "export",
        ),
        Row("check", ("check", J), seen_in_check, None, WHOLE_ROLES, status=1),
        Row(
            "backup create",
            ("backup", "create", "--to", "{out}/usb", J),
            seen_whole,
            "backup",
            {
                "officer": (REFUSED, None),
                "clerk": (ALL, None),
                "administrator": (ALL, None),
                "none": (ALL, None),
            },
        ),
        Row(
            "audit log",
            ("audit", "log", J),
            seen_whole,
            "audit_log",
            {
                "officer": (REFUSED, None),
                "clerk": (REFUSED, None),
                "administrator": (ALL, None),
                "none": (ALL, None),
            },
        ),
    ]
    for kind in ("households", "cards", "rounds", "changes"):
        period = out_pdf if kind != "changes" else ("--out", "{out}/out.pdf")
        rows.append(
            area_row(
                f"print {kind}",
                ("print", kind, "--village", "{area}", *period, J),
                seen_in_file,
                "print",
            )
        )
    return rows


ROWS = _rows()
CELLS = [
    pytest.param(row, role, column, id=f"{row.name}|{role}|{column}")
    for row in ROWS
    for role in ("officer", "clerk", "administrator", "none")
    for column in ("own", "other")
    if column == "own" or row.expected[role][1] is not None
]


def _audit_rows(path: Path, action: str) -> int:
    with _open_any(path) as reg:
        found = reg.conn.execute("SELECT count(*) FROM access_log WHERE action = ?", (action,))
        return int(found.fetchone()[0])


def _open_any(path: Path) -> Register:
    """The register as its administrator (or with its passphrase, without accounts)."""
    if keyring.exists(path):
        admin = ACCOUNTS["administrator"]
        return accounts.login(path, admin[0], admin[1])
    return open_register(path, PASSPHRASE)


def _expected_seen(outcome: str, asked: str) -> set[str]:
    return {
        OWN: {asked} & BOTH,
        ALL: set(BOTH),
        NARROWED: {VILLAGE_A},
        REFUSED: set(),
        NOT_HERE: set(),
    }[outcome]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext reads the PDFs back")
@pytest.mark.parametrize(("row", "role", "column"), CELLS)
def test_every_command_for_every_role(
    row: Row,
    role: str,
    column: str,
    register_for: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = register_for(role)
    own, other = ASKS[role]
    asked = own if column == "own" else other
    outcome = row.expected[role][0 if column == "own" else 1]
    assert outcome is not None
    folder = tmp_path / "made"
    folder.mkdir()
    before = _audit_rows(path, row.audit) if row.audit else 0
    argv = [a.replace("{area}", asked).replace("{out}", str(folder)) for a in row.argv]
    capsys.readouterr()
    status = main([argv[0], *_sub(argv), "--db", str(path), *_rest(argv)])
    captured = capsys.readouterr()
    cell = Cell(status, captured.out, captured.err, folder, path)
    assert row.seen(cell) == _expected_seen(outcome, asked), (outcome, cell.out, cell.err)
    after = _audit_rows(path, row.audit) if row.audit else 0
    if outcome == REFUSED:
        assert status == 1, cell.err
        account = ACCOUNTS[role][0]
        # A plain message in both languages, naming the account; nothing made or kept.
        assert f"“{account}”" in cell.err and ("只能" in cell.err or "不能" in cell.err)
        assert not [p for p in folder.rglob("*") if p.is_file()]
        assert after == before
    elif outcome == NOT_HERE:
        assert "只能" not in cell.err  # not an access refusal: the area is simply not here
    else:
        assert status == row.status, cell.err
        if row.audit:  # kept in the record of processing by the operation itself
            assert after > before


def _sub(argv: list[str]) -> list[str]:
    """The subcommand's own words (`print households`): --db goes after them."""
    return argv[1 : 1 + _WORDS.get(argv[0], 0)]


_WORDS = {"print": 1, "bundle": 1, "backup": 1, "audit": 1}


def _rest(argv: list[str]) -> list[str]:
    return argv[1 + len(_sub(argv)) :]


# ---------------------------------------------------------------- writes


def _household_in(reg: Register, village: str) -> str:
    return str(
        reg.query(
            "SELECT id FROM household WHERE village_code = ? ORDER BY code LIMIT 1", (village,)
        )[0]["id"]
    )


WRITES = {  # role -> (own area, other area)
    "officer": (WRITTEN, REFUSED),
    "clerk": (WRITTEN, REFUSED),
    "administrator": (WRITTEN, REFUSED),
    "none": (WRITTEN, WRITTEN),
}


@pytest.mark.parametrize("column", ["own", "other"])
@pytest.mark.parametrize("role", list(WRITES))
def test_every_write_for_every_role(
    role: str, column: str, register_for: Callable[[str], Path]
) -> None:
    """An officer's form or a script: the same store operations, the same limits.  In
    another area: a new member of a household there (officer), or moving one of the
    township's households to another township (the others)."""
    path = register_for(role)
    own, other = ASKS[role]
    outcome = WRITES[role][0 if column == "own" else 1]
    member = {"name": "新成员", "sex": 2, "birth_date": "2000-01-01", "relationship": 2}
    name = ACCOUNTS[role][0] if role != "none" else None
    secret = ACCOUNTS[role][1] if role != "none" else PASSPHRASE
    with open_register(path, secret, user=name) as reg:

        def write() -> None:
            if column == "own":
                ops.add_person(reg, _household_in(reg, own), member)
            elif role == "officer":
                ops.add_person(reg, _household_in(reg, other), member)
            else:
                records.update(
                    reg, "household", _household_in(reg, VILLAGE_B), {"village_code": other}
                )

        before = reg.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]
        if outcome == REFUSED:
            with pytest.raises(access.AccessDenied) as refused:
                write()
            assert other in str(refused.value)
        else:
            write()
        after = reg.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]
    assert (after > before) == (outcome == WRITTEN)


def test_the_table_states_every_cell() -> None:
    """Every row names an outcome for every role, in its own area and (where the
    command takes one) another; the officer is never given the whole register."""
    for row in ROWS:
        assert set(row.expected) == set(ASKS), row.name
        for role, (own, other) in row.expected.items():
            assert own in (OWN, ALL, NARROWED, REFUSED), (row.name, role)
            assert other in (None, REFUSED, NOT_HERE), (row.name, role)
        assert row.expected["officer"][0] != ALL, row.name
    assert len(CELLS) >= 100
