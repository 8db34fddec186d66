"""Export, verify and import bundle files: what the CLI and the GUI call.

Export: a village writes one bundle of its changes for the township; a township
writes one update (or, for a new laptop, a snapshot) per enrolled village device.
Import: each file is verified before anything is written, then applied in one
transaction together with its ledger row; a refused file gets a ledger row of its
own and changes nothing else.  Files are taken in name order (names carry the
sequence range), and one bad file never stops the good ones after it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from fpdesk.core.i18n import Text
from fpdesk.store import access, access_log, areas, backup, bulk
from fpdesk.store.db import Register, is_live_file
from fpdesk.store.errors import RegisterError
from fpdesk.sync import (
    container,
    decisions,
    district,
    envelope,
    held,
    keys,
    ledger,
    rows,
    township,
    village,
)
from fpdesk.sync.batches import batches
from fpdesk.sync.errors import (
    ASK_AGAIN,
    NOT_FOR_US,
    NOT_THIS_VILLAGE,
    BundleRefused,
    SyncError,
    shown,
)
from fpdesk.sync.ledger import DUPLICATE, NOT_HERE, REFUSED, FileResult

SUFFIX = ".fpb"

NEEDS_TARGET = Text(
    "乡镇导出要指定 --for 村代码 或 --all-villages。",
    "A township export needs --for VILLAGE_CODE or --all-villages.",
)
NO_DEVICE_FOR = Text(
    "村 {village} 没有登记的设备，没有导出。",
    "Village {village} has no enrolled device; nothing exported.",
)
INCONSISTENT = Text(
    "这个包的内容放不进本登记册（{detail}），没有导入任何内容。请把文件交给技术支持。",
    "This bundle does not fit this register ({detail}); nothing was imported. Pass the "
    "file to technical support.",
)
TO_DISTRICT_ALONE = Text(
    "--to-district 只用于乡镇登记册，不能和 --for、--all-villages、--snapshot 一起用。",
    "--to-district is for a township register, without --for, --all-villages or --snapshot.",
)
RESEND_IS_FOR_VILLAGES = Text(
    "--resend-from 只用于村里的电脑或乡镇发往区县（--to-district），数字不能小于 0。",
    "--resend-from is for a village laptop or a township's --to-district export, with a "
    "number of at least 0.",
)
A_REGISTER_FILE = Text(
    "{path} 是正在使用的登记册文件，不是数据包：没有读它。",
    "{path} is the register in use, not a bundle: it was not read.",
)
SEEN_BEFORE = Text(
    "这个文件以前已经导入过，没有再次导入。",
    "This file was imported before; nothing was imported again.",
)
RELEASED_BEFORE = Text(
    "这个文件曾被保留（分叉），文员已于 {when} 处理过，没有再次导入。",
    "This file was held (a fork) and the clerk dealt with it on {when}; nothing was "
    "imported again.",
)


# How export names a file (see _write_bundle): sender-kind-recipient-device-after-upto-hash.
_FILE_NAME = re.compile(r"^(?P<sender>\d{12})-(?P<kind>[a-z]+)-(?P<recipient>\d{12})-")


@dataclass(frozen=True)
class NamedIn:
    """What a bundle's file name says: who made it, what kind, for which area.  Not
    verified (anyone can rename a file): only to say whom to ask for a new export, and
    to leave alone a file that cannot be opened here and is named for another village."""

    sender_area: str
    kind: str
    recipient_area: str


def named_in(path: Path) -> NamedIn | None:
    found = _FILE_NAME.match(path.name)
    if found is None:
        return None
    return NamedIn(found["sender"], found["kind"], found["recipient"])


@dataclass(frozen=True)
class Exported:
    path: Path
    kind: str
    recipient: str
    recipient_area: str
    after: int
    upto: int
    count: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "kind": self.kind,
            "recipient": self.recipient,
            "recipient_area": self.recipient_area,
            "after": self.after,
            "upto": self.upto,
            "count": self.count,
        }


# ------------------------------------------------------------------------- export


def export(
    register: Register,
    out_dir: Path,
    *,
    village_code: str | None = None,
    all_villages: bool = False,
    snapshot: bool = False,
    resend_from: int | None = None,
    to_district: bool = False,
) -> list[Exported]:
    """Write bundles, if the account's role may export: a village's own changes, or the
    township's update (or snapshot) for one village or every one.  An account sees its
    own area only: another village is refused, and `all_villages` means the villages of
    the account's area.  Every export is kept in the record of processing.

    `resend_from` (a village): send every change of this laptop after that sequence
    again, whatever the township acknowledged (after the township was restored).

    `to_district` (a township): every change of this register the district hub has
    not acknowledged, its villages' work included, for the hub (docs/hub.md); with
    `resend_from`, every change after that sequence.  After this register was restored
    from a backup, and until the hub acknowledges a bundle of the new generation, all of
    them (after 0): the hub may hold what the restore lost here (hub.held)."""
    if to_district:
        made = [
            _export_to_district(
                register, out_dir, village_code, all_villages, snapshot, resend_from
            )
        ]
    else:
        made = _export(register, out_dir, village_code, all_villages, snapshot, resend_from)
    detail = {"bundles": [e.path.name for e in made], "snapshot": snapshot}
    access_log.record(register, "export", {**detail, "villages": [e.recipient_area for e in made]})
    return made


def _export(
    register: Register,
    out_dir: Path,
    village_code: str | None,
    all_villages: bool,
    snapshot: bool,
    resend_from: int | None,
) -> list[Exported]:
    access.require(register, "export")
    if register.role != "village" and (village_code or all_villages):
        village_code = access.village_scope(register, village_code)  # an officer: theirs
    out_dir.mkdir(parents=True, exist_ok=True)
    if register.role == "village":
        return [_export_changes(register, out_dir, resend_from)]
    if resend_from is not None:
        raise SyncError(RESEND_IS_FOR_VILLAGES)
    if not all_villages and not village_code:
        raise SyncError(NEEDS_TARGET)
    devices = [p for p in keys.active_peers(register, village_code) if p["role"] == "village"]
    if not devices and village_code:
        raise SyncError(NO_DEVICE_FOR.format(village=village_code))
    moves = None if snapshot or not devices else repointed(register, min(_acks(devices)))
    return [_export_update(register, out_dir, device, snapshot, moves) for device in devices]


def _acks(devices: list[dict[str, Any]]) -> list[int]:
    return [int(d["acked_by_peer"]) for d in devices]


def _export_to_district(
    register: Register,
    out_dir: Path,
    village_code: str | None,
    all_villages: bool,
    snapshot: bool,
    resend_from: int | None,
) -> Exported:
    access.require(register, "export")
    if register.role != "township" or village_code or all_villages or snapshot:
        raise SyncError(TO_DISTRICT_ALONE)
    out_dir.mkdir(parents=True, exist_ok=True)
    peer = keys.district_peer(register)
    if resend_from is None and district.resend_awaited(register, peer):
        resend_from = 0
    return _export_changes(
        register,
        out_dir,
        resend_from,
        peer,
        own_only=False,
        area_units=areas.area_list(register),
        report_runs=_report_runs(register),
        generation=backup.generation(register),
    )


def _report_runs(register: Register) -> list[dict[str, Any]]:
    """The reports this township recorded as produced (report_run): with the time each
    birth was first entered (its change's `at`), what late_births = "when_found" reads."""
    return register.query(
        "SELECT id, period, areas, produced_at FROM report_run ORDER BY produced_at, id"
    )


def _export_changes(
    register: Register,
    out_dir: Path,
    resend_from: int | None,
    peer: dict[str, Any] | None = None,
    *,
    own_only: bool = True,
    area_units: list[dict[str, Any]] | None = None,
    report_runs: list[dict[str, Any]] | None = None,
    generation: str | None = None,
) -> Exported:
    """Every change logged here that the upper level has not acknowledged: at a
    village, those made on this laptop, for its township; at a township, all of them
    (its villages' work, taken in, and its own), for the district hub, with the area
    units the township knows and its recorded reports beside them (`area_units`,
    `report_runs`, docs/bundle-format.md).

    The manifest's generation: a village's is the township's that its ack refers to; a
    township's for the hub its own (`generation`; the hub is never restored)."""
    peer = keys.township_peer(register) if peer is None else peer
    after = int(peer["acked_by_peer"]) if resend_from is None else resend_from
    if after < 0:
        raise SyncError(RESEND_IS_FOR_VILLAGES)
    # A village sends only its own: what came from the township goes back up no more.
    whose = " AND origin IS NULL" if own_only else ""
    with register.transaction():  # one consistent read of the log
        upto = max(rows.last_seq(register), after)
        items = [
            r[0]
            for r in register.conn.execute(
                "SELECT json_array(seq, tbl, row_id, op, json(old), json(new), at, actor)"
                f" FROM change_log WHERE seq > ? AND seq <= ?{whose} ORDER BY seq",
                (after, upto),
            )
        ]
    beside = {"area_units": area_units, "report_runs": report_runs}
    units = "".join(
        f',"{key}":' + container.canonical(value).decode("utf-8")
        for key, value in beside.items()
        if value is not None
    )
    payload = ('{"changes":[' + ",".join(items) + "]" + units + "}").encode("utf-8")
    recipients = [peer["age_recipient"]]
    if peer["recovery_recipient"]:
        recipients.append(peer["recovery_recipient"])
    return _write(
        register,
        out_dir,
        "changes",
        peer,
        after,
        upto,
        int(peer["received_upto"]),
        {"changes.json": payload},
        recipients,
        len(items),
        str(peer["generation"]) if generation is None else generation,
    )


def _export_update(
    register: Register,
    out_dir: Path,
    device: dict[str, Any],
    snapshot: bool,
    moves: Moves | None = None,
) -> Exported:
    """The township's current copy of what changed for one village laptop.

    After this register was restored from a backup, and until the laptop confirms it has
    heard so, the update carries the village's whole area (`complete`): the laptop may
    hold what the township lost with the restore, and must come to hold what it holds."""
    generation = backup.generation(register)
    complete = not snapshot and device["generation"] != generation
    after = 0 if snapshot or complete else int(device["acked_by_peer"])
    with register.transaction():
        upto = rows.last_seq(register)
        if snapshot or complete:
            tables, gone = rows.village_rows(register, device["area_code"], None), {}
        else:
            moves = _current(register, after, moves)
            moved = {person for seq, person, _ in moves.rehoused if seq > after}
            tables = rows.village_rows(register, device["area_code"], after, moved)
            gone = departed(register, device["area_code"], after, moves)
        decided = decisions.for_update(register, after, tables)
    content: dict[str, Any] = {"rows": tables}
    if gone:
        content["departed"] = gone
    if decided:  # the clerk's reasons, beside the values they chose
        content["decisions"] = decided
    if complete:
        content["complete"] = True
    payload = container.canonical(content)
    count = sum(len(v) for v in tables.values()) + sum(len(v) for v in gone.values())
    return _write(
        register,
        out_dir,
        "snapshot" if snapshot else "update",
        device,
        after,
        upto,
        int(device["received_upto"]),
        {"rows.json": payload},
        [device["age_recipient"]],
        count,
        generation,
    )


@dataclass(frozen=True)
class Repointed:
    """An event re-pointed at the township from one person to another (a merge)."""

    seq: int
    table: str
    row_id: str
    old_persons: frozenset[str]


@dataclass(frozen=True)
class Moves:
    """The re-pointed events of the log up to `upto`, and the persons whose household
    changed (seq, person, household before)."""

    items: list[Repointed]
    upto: int
    rehoused: list[tuple[int, str, str]]


def repointed(register: Register, after: int) -> Moves:
    """Events whose person changed after `after`, and persons whose household changed:
    one pass over that part of the log (read once for all the villages of an export)."""
    tables = ", ".join(f"'{t}'" for t in rows.PERSON_COLUMNS)
    out: list[Repointed] = []
    rehoused: list[tuple[int, str, str]] = []
    with register.transaction():
        upto = rows.last_seq(register)
        found = register.conn.execute(
            "SELECT seq, tbl, row_id, old, new FROM change_log"
            f" WHERE seq > ? AND seq <= ? AND op = 'update' AND (tbl IN ({tables})"
            " OR (tbl = 'person' AND old ->> 'household_id' IS NOT new ->> 'household_id'))",
            (after, upto),
        ).fetchall()
    for seq, table, row_id, old_text, new_text in found:
        old, new = json.loads(old_text), json.loads(new_text)
        if table == "person":
            if old.get("household_id") != new.get("household_id") and old.get("household_id"):
                rehoused.append((int(seq), str(row_id), str(old["household_id"])))
            continue
        cols = rows.PERSON_COLUMNS[table]
        if any(old.get(c) != new.get(c) for c in cols):
            persons = frozenset(str(old[c]) for c in cols if old.get(c))
            out.append(Repointed(int(seq), str(table), str(row_id), persons))
    return Moves(out, upto, rehoused)


def _current(register: Register, after: int, moves: Moves | None) -> Moves:
    """`moves`, with what was logged since it was read (or read now when not given)."""
    if moves is None:
        return repointed(register, after)
    if rows.last_seq(register) > moves.upto:  # logged since it was read
        tail = repointed(register, max(after, moves.upto))
        return Moves(moves.items + tail.items, tail.upto, moves.rehoused + tail.rehoused)
    return moves


def departed(
    register: Register, village: str, after: int, moves: Moves | None = None
) -> dict[str, list[str]]:
    """Records that belonged to the village and no longer do, changed after `after`.

    An event is the village's through its person; when the township points it at a
    person of another village (a duplicate person merged into the one kept there), the
    update for the new village carries it, and this list tells the old village to let
    its copy go: an event re-pointed from one of the village's persons, that now
    belongs elsewhere.  Likewise a person the clerk moved from one of the village's
    households into another village's, with her events.
    """
    moves = _current(register, after, moves)
    wanted = [m for m in moves.items if m.seq > after]
    rehoused = [(person, old) for seq, person, old in moves.rehoused if seq > after]
    if not wanted and not rehoused:
        return {}
    households = "SELECT id FROM household WHERE village_code = :village"
    persons = f"SELECT id FROM person WHERE household_id IN ({households})"
    ours = {str(r[0]) for r in register.conn.execute(persons, {"village": village})}
    out: dict[str, list[str]] = {}
    if rehoused:
        homes = {str(r[0]) for r in register.conn.execute(households, {"village": village})}
        left = sorted({p for p, old in rehoused if old in homes and p not in ours})
        if left:
            out["person"] = left
    else:
        left = []
    # The village's persons when it last heard from us: those here now and those moved
    # out since.  An event re-pointed from one who moved out (she was then merged into
    # a person of a third village) is still the village's copy to let go.
    had = ours | set(left)
    for table in rows.PERSON_COLUMNS:
        cols = rows.PERSON_COLUMNS[table]
        was_ours_set = {m.row_id for m in wanted if m.table == table and m.old_persons & had}
        for chunk, marks in batches(left):
            named = " OR ".join(f"{c} IN ({marks})" for c in cols)
            for (row_id,) in register.conn.execute(
                f"SELECT id FROM {table} WHERE {named}", chunk * len(cols)
            ):
                was_ours_set.add(str(row_id))
        was_ours = sorted(was_ours_set)
        for chunk, marks in batches(was_ours):
            for found in register.query(
                f"SELECT id, {', '.join(cols)} FROM {table} WHERE id IN ({marks})", chunk
            ):
                if not any(found[c] in ours for c in cols):
                    out.setdefault(table, []).append(str(found["id"]))
    return out


def _write(
    register: Register,
    out_dir: Path,
    kind: str,
    peer: dict[str, Any],
    after: int,
    upto: int,
    ack: int,
    payloads: dict[str, bytes],
    recipients: list[str],
    count: int,
    generation: str = "",
) -> Exported:
    data = envelope.seal(
        register,
        kind=kind,
        recipient=peer,
        after=after,
        upto=upto,
        ack=ack,
        previous=peer["last_bundle_hash"],
        payloads=payloads,
        recipients=recipients,
        created_at=keys.now_text(),
        generation=generation,
    )
    digest = container.sha256(data)
    name = (
        f"{register.area_code}-{kind}-{peer['area_code']}-{peer['device_id'][:8]}"
        f"-{after:010d}-{upto:010d}-{digest[:8]}{SUFFIX}"
    )
    path = out_dir / name
    write_atomically(path, data)
    with register.transaction() as conn:
        conn.execute(
            "UPDATE sync_device SET last_bundle_hash = ? WHERE device_id = ?",
            (digest, peer["device_id"]),
        )
    return Exported(path, kind, peer["device_id"], peer["area_code"], after, upto, count)


def write_atomically(path: Path, data: bytes) -> None:
    """A half-written bundle on a USB stick must never look like a whole one."""
    temp = path.with_name(path.name + ".part")
    with temp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


# ------------------------------------------------------------------------- import


def bundle_files(paths: list[Path]) -> list[Path]:
    """The files named, and the bundle files inside folders named, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix == SUFFIX and p.is_file()))
        else:
            found.append(path)
    return found


def verify_file(register: Register, path: Path) -> envelope.Opened:
    """Open and check one file without writing anything; raises BundleRefused."""
    return envelope.open_bundle(register, _read_limited(path))


def _read_limited(path: Path) -> bytes:
    if is_live_file(path):  # reading it would drop this process's locks on it (db._live)
        raise BundleRefused(A_REGISTER_FILE.format(path=shown(path.name)))
    return container.read_file(path, container.MAX_FILE_BYTES)


class _Rollback(Exception):
    """Raised to undo a dry run after it has shown what it would do."""


# A bundle read and opened (decrypted, its signature verified) ahead of its import.
Prepared = dict[Path, tuple[bytes, envelope.Opened]]


def prepare(register: Register, paths: list[Path]) -> Prepared:
    """Read and open the bundles in `paths` without writing anything: what an import can
    do while the register's daily check runs (store.daily_check.alongside).  A file
    that does not open is left out: its import then refuses it with the reason."""
    access.require(register, "import")
    found: Prepared = {}
    for path in bundle_files(paths):
        try:
            data = _read_limited(path)
            found[path] = (data, envelope.open_bundle(register, data))
        except (BundleRefused, RegisterError):
            continue
    return found


def import_files(
    register: Register,
    paths: list[Path],
    *,
    dry_run: bool = False,
    prepared: Prepared | None = None,
) -> list[FileResult]:
    """Import bundle files (those `prepare` opened already are not opened again)."""
    access.require(register, "import")
    keys.ensure_keys(register)
    files = bundle_files(paths)
    if files and not dry_run:
        ledger.start_run(register)  # the receipt of this pass covers these files
    ready = prepared or {}
    return [import_file(register, path, dry_run=dry_run, ready=ready.get(path)) for path in files]


def import_file(
    register: Register,
    path: Path,
    *,
    dry_run: bool = False,
    ready: tuple[bytes, envelope.Opened] | None = None,
) -> FileResult:
    """Import one bundle file, if the account's role may import, and keep the import in
    the record of processing whatever its outcome."""
    access.require(register, "import")
    result = _import_file(register, path, dry_run=dry_run, ready=ready)
    detail = {"file": result.file_name, "outcome": result.outcome, "dry_run": dry_run}
    access_log.record(register, "import", detail)
    return result


def _import_file(
    register: Register,
    path: Path,
    *,
    dry_run: bool = False,
    ready: tuple[bytes, envelope.Opened] | None = None,
) -> FileResult:
    result = FileResult(file_name=path.name, file_hash="", outcome=REFUSED)
    try:
        data = ready[0] if ready is not None else _read_limited(path)
        result.file_hash = container.sha256(data)
        released = held.released_file(register, result.file_hash)
        if released is not None:
            result.outcome, result.reason = DUPLICATE, RELEASED_BEFORE.format(when=released["at"])
        elif ledger.already_accepted(register, result.file_hash):
            result.outcome, result.reason = DUPLICATE, SEEN_BEFORE
        else:
            opened = ready[1] if ready is not None else envelope.open_bundle(register, data)
            _describe(result, opened)
            # A bundle can hold a whole village (a snapshot, a first export): written
            # as a bulk batch, the search index caught up once at the end.
            with contextlib.suppress(_Rollback), bulk.writing(register):
                _apply(register, opened, result, data)
                if dry_run:
                    raise _Rollback
                ledger.record(register, result)
            return result
    except BundleRefused as exc:
        result.outcome, result.reason = REFUSED, exc.text
        if _left_alone(register, path, result, exc):
            return result
    except sqlcipher3.IntegrityError as exc:
        # Rolled back whole: e.g. a record pointing at a person this register lacks.
        result.outcome, result.reason = REFUSED, INCONSISTENT.format(detail=str(exc))
    if not dry_run:
        ledger.record(register, result)
    return result


def _left_alone(register: Register, path: Path, result: FileResult, exc: BundleRefused) -> bool:
    """A refusal explained by the file's name: another village's update file on the
    same stick is left alone (True: not recorded, nothing was done with it); a file that
    cannot be opened names the village to ask for a new export, marked unverified."""
    named = named_in(path)
    if named is None or result.device_id is not None:
        return False
    result.named_area = named.sender_area
    if (
        exc.text == NOT_FOR_US
        and register.role == "village"
        and named.kind in envelope.ACCEPTED_KINDS["village"]["township"]
        and named.recipient_area != register.area_code
    ):
        result.outcome = NOT_HERE
        result.reason = NOT_THIS_VILLAGE.format(village=_label(register, named.recipient_area))
        return True
    sender = _label(register, named.sender_area)
    result.reason = Text(
        ASK_AGAIN.zh.format(reason=exc.text.zh, village=sender),
        ASK_AGAIN.en.format(reason=exc.text.en, village=sender),
    )
    return False


def _label(register: Register, code: str) -> str:
    return areas.name(register, code)


def _describe(result: FileResult, opened: envelope.Opened) -> None:
    result.device_id = opened.manifest["device"]
    result.kind = opened.manifest["kind"]
    result.after = opened.manifest["after"]
    result.upto = opened.manifest["upto"]


def _apply(register: Register, opened: envelope.Opened, result: FileResult, data: bytes) -> None:
    if opened.sender["role"] == "district":  # envelope: only an acknowledgement
        district.import_ack(register, opened, result)
    elif register.role == "township":
        township.import_changes(register, opened, result, data)
    else:
        village.import_update(register, opened, result)
