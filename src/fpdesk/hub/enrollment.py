"""A township register enrolls at the district hub as a village laptop enrolls at the
township (sync.enrollment, the same files and fingerprint): the township writes a
request (`fpdesk enroll request`), the hub accepts it and writes the answer
(`fpdesk hub enroll accept`), the township finishes (`fpdesk enroll finish`), and
both read the fingerprint to each other by phone.  `fpdesk hub enroll revoke` refuses
the township's bundles from then on.

The hub's own keys (a signing key, the age identity its townships encrypt to) are
made on the first acceptance and kept in `hub_private.hub_key`, which only the hub's
owner role can read (hub.schema, step 0003_exchange): any office machine that
connects with the owner's credentials can accept townships and import their bundles.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pyrage

from fpdesk.core import area
from fpdesk.core.i18n import Text
from fpdesk.hub import errors, schema
from fpdesk.sync import enrollment, keys
from fpdesk.sync.errors import SyncError

DEVICE = "device_id"
DISTRICT = "area_code"

NEEDS_DISTRICT = Text(
    "汇总库还没有自己的密钥。第一次接受乡镇时请用 --district 写明本区县（或市）的代码。",
    "The hub has no keys yet. The first time it accepts a township, give this district's "
    "(or city's) code with --district.",
)
NOTHING_ENROLLED = Text(
    "还没有乡镇加入这个汇总库，没有导入任何内容。请先用 fpdesk hub enroll accept 登记乡镇。",
    "No township has enrolled at this hub yet; nothing was imported. Enroll the townships "
    "first with fpdesk hub enroll accept.",
)
NOT_A_DISTRICT = Text(
    "{code} 不是区县或市的代码，汇总库没有建立密钥。",
    "{code} is not the code of a district or a city; the hub made no keys.",
)
OTHER_DISTRICT = Text(
    "这个汇总库属于 {ours}，不是 {given}；没有登记。",
    "This hub belongs to {ours}, not {given}; nothing was enrolled.",
)
TOWNSHIP_REVOKED = Text(
    "乡镇 {code} 的这台电脑（设备 {device}）已被撤销，不能再加入。请在新的登记册上重新申请。",
    "Township {code}'s register (device {device}) was revoked and cannot enroll again. "
    "Request again from a new register.",
)
NO_SUCH_TOWNSHIP = Text(
    "汇总库里没有乡镇 {code}，没有撤销任何内容。",
    "The hub has no township {code}; nothing was revoked.",
)


@dataclass(frozen=True)
class HubKeys:
    """The hub's own keys, private halves included: only ever in the owner's session."""

    device_id: str
    district: str
    sign_private: str
    age_identity: str

    def public(self) -> keys.PublicKeys:
        identity = pyrage.x25519.Identity.from_str(self.age_identity)
        return keys.PublicKeys(
            device_id=self.device_id,
            role="district",
            area_code=self.district,
            sign_public=keys.sign_public_of(self.sign_private),
            age_recipient=str(identity.to_public()),
        )

    def sign(self, message: bytes) -> str:
        return keys.sign_with(self.sign_private, message)


def _stored(conn: psycopg.Connection[Any]) -> dict[str, str]:
    rows = conn.execute(f"SELECT name, value FROM {schema.PRIVATE_SCHEMA}.hub_key").fetchall()
    return {str(name): str(value) for name, value in rows}


def hub_keys(conn: psycopg.Connection[Any], district: str | None = None) -> HubKeys:
    """The hub's keys; made the first time, for `district` (then required).  A given
    district must be the hub's own.  Runs in the caller's transaction."""
    stored = _stored(conn)
    if not stored:
        if district is None:
            raise errors.HubError(NEEDS_DISTRICT)
        if _level(district) not in ("county", "prefecture"):
            raise errors.HubError(NOT_A_DISTRICT.format(code=district))
        stored = {DEVICE: str(uuid.uuid4()), DISTRICT: district, **keys.new_keys()}
        with conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {schema.PRIVATE_SCHEMA}.hub_key (name, value) VALUES (%s, %s)",
                list(stored.items()),
            )
    elif district is not None and district != stored[DISTRICT]:
        raise errors.HubError(OTHER_DISTRICT.format(ours=stored[DISTRICT], given=district))
    return HubKeys(stored[DEVICE], stored[DISTRICT], stored[keys.SIGN_KEY], stored[keys.AGE_KEY])


def enrolling_keys(conn: psycopg.Connection[Any]) -> HubKeys:
    """The hub's keys for taking in bundles: a hub that has none has no township."""
    if not _stored(conn):
        raise errors.HubError(NOTHING_ENROLLED)
    return hub_keys(conn)


def _level(code: str) -> str:
    try:
        return area.level_of(code)
    except area.AreaCodeError:
        return ""


def accept(
    conn: psycopg.Connection[Any], request: Path, out: Path, district: str | None = None
) -> dict[str, Any]:
    """Enroll the requesting township register and write the hub's answer; returns the
    township with the fingerprint to read out.  All or nothing: the answer file is
    written last inside the transaction, so a refusal leaves the hub as it was."""
    with conn.transaction():  # the outermost one commits: the command's whole work
        schema.check(conn)
        mine = hub_keys(conn, district)
        township = enrollment.read_request(request, enrollment.TOWNSHIP_DISTRICT, mine.district)
        known = conn.execute(
            "SELECT state, device_id FROM hub_township WHERE code = %s", (township.area_code,)
        ).fetchone()
        if known is not None and known[0] == "revoked" and known[1] == township.device_id:
            raise SyncError(
                TOWNSHIP_REVOKED.format(code=township.area_code, device=township.device_id)
            )
        fingerprint = enrollment.pair_fingerprint(township, mine.public())
        _enroll(
            conn,
            township,
            fingerprint,
            same_device=known is not None and known[1] == township.device_id,
        )
        enrollment.answer_for(township, mine.public(), mine.sign, enrollment.TOWNSHIP_DISTRICT, out)
    return {**township.as_dict(), "fingerprint": fingerprint}


def _enroll(
    conn: psycopg.Connection[Any], township: keys.PublicKeys, fingerprint: str, *, same_device: bool
) -> None:
    """The township's row, enrolled with these keys.  A new register of the township
    (another device) starts its changes from the beginning."""
    code = township.area_code
    conn.execute(
        "INSERT INTO hub_township (code, county_code, state, device_id, sign_public,"
        " age_recipient, fingerprint, enrolled_at) VALUES (%s, %s, 'enrolled', %s, %s, %s, %s,"
        " now()) ON CONFLICT (code) DO UPDATE SET state = 'enrolled',"
        " device_id = excluded.device_id, sign_public = excluded.sign_public,"
        " age_recipient = excluded.age_recipient, fingerprint = excluded.fingerprint,"
        " enrolled_at = excluded.enrolled_at, revoked_at = NULL",
        (
            code,
            code[:6],
            township.device_id,
            township.sign_public,
            township.age_recipient,
            fingerprint,
        ),
    )
    if not same_device:
        conn.execute(
            "UPDATE hub_township SET received_upto = 0, last_ack_hash = NULL WHERE code = %s",
            (code,),
        )


def revoke(conn: psycopg.Connection[Any], code: str) -> dict[str, Any]:
    """Refuse every future bundle from the township's register (stolen or broken)."""
    with conn.transaction():  # the outermost one commits: the command's whole work
        schema.check(conn)
        found = conn.execute(
            "UPDATE hub_township SET state = 'revoked', revoked_at = coalesce(revoked_at, now())"
            " WHERE code = %s RETURNING code, device_id, revoked_at",
            (code,),
        ).fetchone()
        if found is None:
            raise errors.HubError(NO_SUCH_TOWNSHIP.format(code=code))
    return {"code": str(found[0]), "device_id": found[1], "revoked_at": found[2].isoformat()}
