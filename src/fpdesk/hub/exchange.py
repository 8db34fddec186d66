"""The hub's side of the exchange: taking in a township's bundles, acknowledging them.

A township's bundle is the village's kind, `changes` (sync.bundles, `bundle export
--to-district`): every change of the township register after the sequence the hub
last acknowledged, so bundles overlap and a lost one costs nothing.  Opening it is
sync.envelope's, the hub standing in for a register (`HubParty`); the changes are
checked by sync.township's parser.  Then, as at the township:
- a bundle that starts after the last change received is a gap: the missing range is
  named and nothing is applied;
- a change received before must be the same (hub_received), else the township
  register was restored from an old backup: a fork, nothing applied;
- everything new is applied in one PostgreSQL transaction with its ledger row; a
  change to a record outside the sending township (another township's record, a
  household of another township's village, a person or event hanging on one) refuses
  the whole bundle, with a ledger row saying why.
A file that cannot be opened, is not signed by an enrolled township, or comes from a
revoked one is refused with its reason and nothing is written: the hub's ledger holds
only what a township verifiably sent.

After its files, each township that sent one gets an acknowledgement bundle (kind
`ack`, signed by the hub, encrypted to the township): how far the hub has applied its
changes.  `bundle import` of it at the township moves the next export on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pyrage
from psycopg import sql

from fpdesk.core import area
from fpdesk.core.i18n import Text
from fpdesk.hub import enrollment, load, schema
from fpdesk.hub.enrollment import HubKeys
from fpdesk.store import areas
from fpdesk.sync import bundles, container, envelope, keys, rows, township
from fpdesk.sync.errors import BundleRefused
from fpdesk.sync.ledger import ACCEPTED, DUPLICATE, FORK, GAP, REFUSED

OUTSIDE = Text(
    "这个包改动了乡镇 {township} 范围以外的记录（{table} {row}），整个包没有导入。"
    "请把文件交给技术支持。",
    "This bundle changes a record outside township {township} ({table} {row}); none of "
    "it was imported. Pass the file to technical support.",
)
GAP_REASON = Text(
    "缺少乡镇第 {first} 到第 {last} 号修改（之前的包没有收到），这个包暂不导入。"
    "请让乡镇重新导出：新包会包含缺少的部分。",
    "The township's changes {first} to {last} are missing (an earlier bundle never "
    "arrived); this bundle was not applied. Ask the township for a new export: it will "
    "carry the missing part.",
)
FORK_REASON = Text(
    "乡镇第 {seq} 号修改与以前收到的不同：乡镇登记册可能是从旧备份恢复的。这个包没有导入，"
    "请和乡镇核实。",
    "The township's change {seq} differs from the one received before: its register may "
    "have been restored from an old backup. This bundle was not applied; check with the "
    "township.",
)


class HubParty:
    """The hub as one side of the exchange (sync.envelope.Party): its keys, and the
    enrolled townships as its peers, read from the hub's tables."""

    role = "district"

    def __init__(self, conn: psycopg.Connection[Any], hub: HubKeys) -> None:
        self.conn = conn
        self.hub = hub

    @property
    def device_id(self) -> str:
        return self.hub.device_id

    @property
    def area_code(self) -> str:
        return self.hub.district

    def sign(self, message: bytes) -> str:
        return self.hub.sign(message)

    def identity(self) -> pyrage.x25519.Identity:
        return pyrage.x25519.Identity.from_str(self.hub.age_identity)

    def peer(self, device_id: str) -> dict[str, Any] | None:
        found = self.conn.execute(
            "SELECT code, state, sign_public, age_recipient, revoked_at, received_upto,"
            " last_ack_hash FROM hub_township WHERE device_id = %s AND state <> 'requested'",
            (device_id,),
        ).fetchone()
        if found is None:
            return None
        code, state, sign_public, age_recipient, revoked_at, received, last_ack = found
        return {
            "device_id": device_id,
            "role": "township",
            "area_code": str(code),
            "sign_public": sign_public,
            "age_recipient": age_recipient,
            "recovery_recipient": None,
            "revoked_at": revoked_at.isoformat() if state == "revoked" and revoked_at else None,
            "received_upto": int(received),
            "last_bundle_hash": last_ack,
        }


@dataclass
class HubResult:
    """What happened to one file at the hub."""

    file_name: str
    outcome: str
    reason: Text | None = None
    township: str | None = None
    after: int | None = None
    upto: int | None = None
    applied: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "outcome": self.outcome,
            "reason": None if self.reason is None else str(self.reason),
            "township": self.township,
            "after": self.after,
            "upto": self.upto,
            "applied": self.applied,
        }


@dataclass
class Imported:
    results: list[HubResult] = field(default_factory=list)
    acks: list[Path] = field(default_factory=list)


class _Outside(Exception):
    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def import_files(conn: psycopg.Connection[Any], paths: list[Path], ack_dir: Path) -> Imported:
    """Import township bundles (files, or the bundle files in folders) in name order,
    then write an acknowledgement for each township that sent one into `ack_dir`."""
    with conn.transaction():
        schema.check(conn)
        party = HubParty(conn, enrollment.enrolling_keys(conn))
    done = Imported()
    senders: dict[str, dict[str, Any]] = {}
    for path in bundles.bundle_files(paths):
        result, sender = _import_file(conn, party, path)
        done.results.append(result)
        if sender is not None:
            senders[sender["device_id"]] = sender
    ack_dir.mkdir(parents=True, exist_ok=True)
    for device in senders:
        done.acks.append(_write_ack(conn, party, device, ack_dir))
    return done


def _import_file(
    conn: psycopg.Connection[Any], party: HubParty, path: Path
) -> tuple[HubResult, dict[str, Any] | None]:
    result = HubResult(path.name, REFUSED)
    try:
        data = container.read_file(path, container.MAX_FILE_BYTES)
        with conn.transaction():  # reads the townships only; each piece of work its own
            opened = envelope.open_bundle(party, data)
    except BundleRefused as exc:  # not verifiably a township's: nothing is written
        result.reason = exc.text
        return result, None
    digest = container.sha256(data)
    manifest, sender = opened.manifest, opened.sender
    result.township = sender["area_code"]
    result.after, result.upto = manifest["after"], manifest["upto"]
    try:
        with conn.transaction():
            _apply(conn, opened, result, digest)
            _record(conn, result, digest, sender["device_id"])
    except (BundleRefused, _Outside) as exc:  # rolled back whole; the refusal is kept
        result.outcome, result.reason, result.applied = REFUSED, exc.text, 0
        with conn.transaction():
            _record(conn, result, digest, sender["device_id"])
    return result, sender


def _apply(
    conn: psycopg.Connection[Any], opened: envelope.Opened, result: HubResult, digest: str
) -> None:
    manifest, code = opened.manifest, opened.sender["area_code"]
    device = opened.sender["device_id"]
    locked = conn.execute(  # two staff importing at once take turns
        "SELECT received_upto FROM hub_township WHERE code = %s FOR UPDATE", (code,)
    ).fetchone()
    received = int(locked[0]) if locked else 0
    if _accepted_before(conn, digest):
        result.outcome, result.reason = DUPLICATE, bundles.SEEN_BEFORE
        return
    changes = township.parse_change_list(
        opened.payloads.get("changes.json", b""),
        manifest["after"],
        manifest["upto"],
        {t: [c.name for c in cols] for t, cols in schema.register_columns().items()},
    )
    if manifest["after"] > received:
        result.outcome = GAP
        result.reason = GAP_REASON.format(first=received + 1, last=manifest["after"])
        return
    forked = _fork(conn, device, [c for c in changes if c.seq <= received])
    if forked is not None:
        result.outcome, result.reason = FORK, FORK_REASON.format(seq=forked)
        return
    fresh = [c for c in changes if c.seq > received]
    if not fresh and manifest["upto"] <= received:
        result.outcome, result.reason = DUPLICATE, township.DUPLICATE_REASON
        return
    _apply_changes(conn, fresh, code)
    _check_area(conn, code, fresh)
    _take_area_units(conn, code, opened.payloads.get("changes.json", b""))
    _take_late_birth_facts(conn, code, fresh, opened.payloads.get("changes.json", b""))
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO hub_received (device_id, seq, change_hash) VALUES (%s, %s, %s)",
            [(device, c.seq, c.digest()) for c in fresh],
        )
    conn.execute(
        "UPDATE hub_township SET received_upto = %s WHERE code = %s",
        (max(received, manifest["upto"]), code),
    )
    result.outcome, result.applied = ACCEPTED, len(fresh)


def _accepted_before(conn: psycopg.Connection[Any], digest: str) -> bool:
    found = conn.execute(
        "SELECT 1 FROM hub_ledger WHERE file_hash = %s AND outcome = %s LIMIT 1",
        (digest, ACCEPTED),
    ).fetchone()
    return found is not None


def _fork(conn: psycopg.Connection[Any], device: str, seen: list[township.Change]) -> int | None:
    """The first change received before whose content differs now."""
    if not seen:
        return None
    before = dict(
        conn.execute(
            "SELECT seq, change_hash FROM hub_received WHERE device_id = %s AND seq = ANY(%s)",
            (device, [c.seq for c in seen]),
        ).fetchall()
    )
    for change in seen:
        if change.seq in before and before[change.seq] != change.digest():
            return change.seq
    return None


def _apply_changes(
    conn: psycopg.Connection[Any], changes: list[township.Change], code: str
) -> None:
    """Write the changes' outcome into the record tables.  Each change carries its row's
    whole image, and the hub's record tables do not point at each other, so the last
    change of each row is its outcome: rows are written table by table, in batches."""
    last: dict[tuple[str, str], township.Change] = {}
    for change in changes:
        last[(change.tbl, change.row_id)] = change
    by_table: dict[str, list[township.Change]] = {}
    for change in last.values():
        by_table.setdefault(change.tbl, []).append(change)
    for table, rows_changed in by_table.items():
        _refuse_others(conn, table, [c.row_id for c in rows_changed], code)
        gone = [c.row_id for c in rows_changed if c.op == "delete"]
        if gone:
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE id = ANY(%s)").format(sql.Identifier(table)),
                (gone,),
            )
        shapes: dict[tuple[str, ...], list[list[Any]]] = {}
        for c in rows_changed:
            if c.op != "delete" and c.new is not None:
                shapes.setdefault(tuple(c.new), []).append([*c.new.values(), code, code[:6]])
        for names, values in shapes.items():
            with conn.cursor() as cur:
                cur.executemany(_upsert(table, names), values)


def _refuse_others(conn: psycopg.Connection[Any], table: str, ids: list[str], code: str) -> None:
    """No change may touch another township's record."""
    found = conn.execute(
        sql.SQL("SELECT id FROM {} WHERE id = ANY(%s) AND township_code <> %s LIMIT 1").format(
            sql.Identifier(table)
        ),
        (ids, code),
    ).fetchone()
    if found is not None:
        raise _Outside(OUTSIDE.format(township=code, table=table, row=found[0]))


def _upsert(table: str, image: tuple[str, ...]) -> sql.Composed:
    names = [*image, "township_code", "county_code"]
    return sql.SQL("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}").format(
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, names)),
        sql.SQL(", ").join(sql.Placeholder() * len(names)),
        sql.SQL(", ").join(
            sql.SQL("{0} = excluded.{0}").format(sql.Identifier(n)) for n in image if n != "id"
        ),
    )


def _check_area(conn: psycopg.Connection[Any], code: str, changes: list[township.Change]) -> None:
    """Every record the bundle wrote belongs to the township: a household in one of its
    villages, a person in one of its households, an event of one of its persons."""
    written: dict[str, list[str]] = {}
    for change in changes:
        if change.op != "delete":
            written.setdefault(change.tbl, []).append(change.row_id)
    for row_id, village in conn.execute(
        "SELECT id, village_code FROM household WHERE id = ANY(%s)",
        (written.get("household", []),),
    ).fetchall():
        if not _village_of(code, village):
            raise _Outside(OUTSIDE.format(township=code, table="household", row=row_id))
    checks = [("person", "household_id", "household")] + [
        (table, column, "person")
        for table, columns in rows.PERSON_COLUMNS.items()
        for column in columns
    ]
    for table, column, parent in checks:
        found = conn.execute(
            sql.SQL(
                "SELECT t.id FROM {table} t LEFT JOIN {parent} p ON p.id = t.{column}"
                " WHERE t.id = ANY(%s) AND t.{column} IS NOT NULL"
                " AND p.township_code IS DISTINCT FROM %s LIMIT 1"
            ).format(
                table=sql.Identifier(table),
                parent=sql.Identifier(parent),
                column=sql.Identifier(column),
            ),
            (written.get(table, []), code),
        ).fetchone()
        if found is not None:
            raise _Outside(OUTSIDE.format(township=code, table=table, row=found[0]))


def _take_area_units(conn: psycopg.Connection[Any], code: str, payload: bytes) -> None:
    """The area units the township sent beside its changes (its villages' names and
    flags, which the indicators read): those inside the township, and the ones above
    it (the county's name), replace what it gave before.  Another township's units
    are not its to give and are passed over.  A bundle without them (an older
    fpdesk's) leaves the hub's as they were."""
    sent = container.parse_json(payload, "changes.json").get("area_units")
    if sent is None:
        return
    units = [_area_unit(unit) for unit in _as_list(sent)]
    ours = [u for u in units if area.contains(code, u[0]) or area.contains(u[0], code)]
    conn.execute("DELETE FROM hub_area_unit WHERE township_code = %s", (code,))
    load.write_area_units(conn, ours, code)


def _take_late_birth_facts(
    conn: psycopg.Connection[Any], code: str, fresh: list[township.Change], payload: bytes
) -> None:
    """What late_births = "when_found" reads, as the township's register has it: when
    each birth was first entered there (the earliest `at` of its inserts, which every
    change carries), and the reports it recorded (`report_runs`, sent beside the
    changes; a bundle without them leaves the hub's as they were).  A run's areas
    outside the township are not its to close and are dropped."""
    entered = [
        (c.row_id, code, c.item[6])
        for c in fresh
        if c.tbl == "birth" and c.op == "insert" and isinstance(c.item[6], str)
    ]
    with conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO hub_birth_entered (birth_id, township_code, entered_at)
               VALUES (%s, %s, %s) ON CONFLICT (birth_id) DO UPDATE SET entered_at =
                 least(hub_birth_entered.entered_at COLLATE "C", excluded.entered_at)""",
            entered,
        )
    sent = container.parse_json(payload, "changes.json").get("report_runs")
    if sent is None:
        return
    runs = []
    for run in _as_list(sent, "report_runs"):
        if not isinstance(run, dict) or set(run) != {"id", "period", "areas", "produced_at"}:
            raise container.damaged("a report run is malformed")
        if not all(isinstance(v, str) for v in run.values()):
            raise container.damaged("a report run is malformed")
        inside = [a for a in run["areas"].split(",") if _inside(code, a)]
        if inside:
            runs.append((code, run["id"], run["period"], ",".join(inside), run["produced_at"]))
    conn.execute("DELETE FROM hub_report_run WHERE township_code = %s", (code,))
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO hub_report_run (township_code, id, period, areas, produced_at)"
            " VALUES (%s, %s, %s, %s, %s)",
            runs,
        )


def _inside(township_code: str, code: str) -> bool:
    try:
        area.level_of(code)
    except area.AreaCodeError:
        return False
    return area.contains(township_code, code)


def _as_list(value: Any, key: str = "area_units") -> list[Any]:
    if not isinstance(value, list):
        raise container.damaged(f"{key} is not a list")
    return value


def _area_unit(unit: Any) -> tuple[Any, ...]:
    """One area unit as sent, checked: the register's columns, a valid code and level."""
    if not isinstance(unit, dict) or set(unit) != set(areas.AREA_COLUMNS):
        raise container.damaged("an area unit is malformed")
    code = unit["code"]
    try:
        level = area.level_of(code) if isinstance(code, str) else None
    except area.AreaCodeError:
        level = None
    flags = [unit[c] for c in areas.AREA_COLUMNS[6:]]
    texts = [unit[c] for c in ("name", "valid_from")]
    if (
        level is None
        or unit["level"] != level
        or not all(isinstance(t, str) for t in texts)
        or not all(v is None or isinstance(v, str) for v in (unit["parent_code"], unit["valid_to"]))
        or not all(f in (0, 1) and not isinstance(f, float) for f in flags)
    ):
        raise container.damaged(f"area unit {code!r} is malformed")
    return tuple(unit[c] for c in areas.AREA_COLUMNS)


def _village_of(township_code: str, village: Any) -> bool:
    try:
        return area.level_of(str(village)) == "village" and area.contains(
            township_code, str(village)
        )
    except area.AreaCodeError:
        return False


def _record(conn: psycopg.Connection[Any], result: HubResult, digest: str, device: str) -> None:
    reason = result.reason
    conn.execute(
        "INSERT INTO hub_ledger (file_name, file_hash, township_code, device_id, after_seq,"
        " upto_seq, outcome, reason_zh, reason_en, applied)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            result.file_name,
            digest,
            result.township,
            device,
            result.after,
            result.upto,
            result.outcome,
            None if reason is None else reason.zh,
            None if reason is None else reason.en,
            result.applied,
        ),
    )


def _write_ack(conn: psycopg.Connection[Any], party: HubParty, device: str, out_dir: Path) -> Path:
    """The acknowledgement for one township: how far its changes are applied here."""
    with conn.transaction():
        peer = party.peer(device)
        assert peer is not None  # it sent a verified bundle in this run
        ack = int(peer["received_upto"])
        data = envelope.seal(
            party,
            kind="ack",
            recipient=peer,
            after=0,
            upto=0,
            ack=ack,
            previous=peer["last_bundle_hash"],
            payloads={},
            recipients=[peer["age_recipient"]],
            created_at=keys.now_text(),
        )
        digest = container.sha256(data)
        name = (
            f"{party.area_code}-ack-{peer['area_code']}-{device[:8]}"
            f"-{0:010d}-{ack:010d}-{digest[:8]}{bundles.SUFFIX}"
        )
        path = out_dir / name
        bundles.write_atomically(path, data)
        conn.execute(
            "UPDATE hub_township SET last_ack_hash = %s WHERE device_id = %s", (digest, device)
        )
    return path
