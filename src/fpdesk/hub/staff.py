"""Staff of the district office, and of townships, reading the hub as PostgreSQL roles.

Each staff member logs in as a role of their own (the user name in the hub address),
member of one of two group roles that may only read:

- the district staff group reads every township's rows: the record tables,
  hub_township, hub_ledger and hub_area_unit (never the schema hub_private, where the
  hub's keys are);
- the township staff group reads the same tables, but row-level security shows a
  member only the rows of its own township (and its township's area units with the
  county above them).

Which township a staff role belongs to is its row in `hub_staff`, read by the policies
through current_user, so one group role serves every township.  Roles belong to the
whole PostgreSQL server, not to one database: the group roles are named after the hub's
database (`<database>_staff_district`, `<database>_staff_township`) so that two hubs on
one server (or the tests' databases) do not share them.  Only the hub's owner (the role
`hub init` ran as), able to make roles, adds and removes staff.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import psycopg
from psycopg import sql

from fpdesk.core.i18n import Text
from fpdesk.hub import errors, schema, staff_roles
from fpdesk.hub.staff_roles import BY_TOWNSHIP as BY_TOWNSHIP
from fpdesk.hub.staff_roles import group_roles, have_groups, may_make_roles

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")  # a role name PostgreSQL keeps as typed


class StaffError(errors.HubError):
    text = Text("汇总库人员没有改动。", "No staff member was changed.")


class StaffNameTaken(StaffError):
    text = Text(
        "数据库服务器上已有名为“{name}”的用户，没有新建。请换一个名字。",
        "The database server already has a user named “{name}”; nothing was made. "
        "Choose another name.",
    )


class BadStaffName(StaffError):
    text = Text(
        "人员名“{name}”不能用：只能用小写英文字母、数字和下划线，不以数字开头，"
        "最多 63 个字符。没有新建。",
        "The staff name “{name}” cannot be used: only lower-case letters, digits and "
        "underscores, not starting with a digit, at most 63 characters. Nothing was made.",
    )


class UnknownTownship(StaffError):
    text = Text(
        "汇总库里没有乡镇 {code}，没有新建人员。请用 fpdesk hub status 查看已有的乡镇。",
        "The hub has no township {code}; no staff member was made. See the townships it "
        "has with fpdesk hub status.",
    )


class NotHubOwner(StaffError):
    text = Text(
        "只有汇总库的所有者（运行 fpdesk hub init 的数据库用户“{owner}”）才能增删人员，"
        "现在连接的用户是“{user}”。没有改动。",
        "Only the hub's owner (the database user “{owner}” that ran fpdesk hub init) can "
        "add or remove staff; this connection is user “{user}”. Nothing was changed.",
    )


class CannotMakeRoles(StaffError):
    text = Text(
        "汇总库的所有者“{user}”在数据库服务器上没有建立用户的权限（CREATEROLE），"
        "没有改动。请管理员授予这个权限后再试。",
        "The hub's owner “{user}” may not make users on the database server (CREATEROLE); "
        "nothing was changed. Ask the administrator to grant it, then try again.",
    )


class NoSuchStaff(StaffError):
    text = Text(
        "汇总库没有名为“{name}”的人员，没有改动。请用 fpdesk hub staff list 查看。",
        "The hub has no staff member named “{name}”; nothing was changed. See them with "
        "fpdesk hub staff list.",
    )


@dataclass(frozen=True)
class StaffMember:
    name: str
    township: str | None  # None: district staff
    added_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def add(
    conn: psycopg.Connection[Any], name: str, township: str | None, password: str | None = None
) -> StaffMember:
    """A login role `name` that reads the district (township None) or one township."""
    if not _NAME.match(name):
        raise BadStaffName(BadStaffName.text.format(name=name))
    with conn.transaction():
        _require_owner(conn)
        taken = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if taken is not None:
            raise StaffNameTaken(StaffNameTaken.text.format(name=name))
        if township is not None:
            found = conn.execute(
                "SELECT 1 FROM hub_township WHERE code = %s", (township,)
            ).fetchone()
            if found is None:
                raise UnknownTownship(UnknownTownship.text.format(code=township))
        if not have_groups(conn):
            # Made once (the ALTER TABLEs wait for every reader): by hub init when its
            # owner could make roles, else here.
            ensure_roles(conn)
        district_group, township_group = group_roles(conn)
        group = district_group if township is None else township_group
        made = sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(
            sql.Identifier(name), sql.Identifier(group)
        )
        if password is not None:
            # Hashed here (libpq's SCRAM): the password itself never reaches the server,
            # nor its log of statements.
            hashed = conn.pgconn.encrypt_password(
                password.encode(), name.encode(), b"scram-sha-256"
            )
            made += sql.SQL(" PASSWORD {}").format(sql.Literal(hashed.decode()))
        conn.execute(made)
        conn.execute(
            "INSERT INTO hub_staff (role_name, township_code) VALUES (%s, %s)", (name, township)
        )
        return _members(conn, name)[0]


def list_staff(conn: psycopg.Connection[Any]) -> list[StaffMember]:
    idle = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    schema.check(conn)
    found = _members(conn)
    if idle:
        conn.rollback()  # only read: leave the connection as it was
    return found


def _members(conn: psycopg.Connection[Any], name: str | None = None) -> list[StaffMember]:
    rows = conn.execute(
        "SELECT role_name, township_code, to_char(added_at, 'YYYY-MM-DD HH24:MI')"
        " FROM hub_staff WHERE %(name)s::text IS NULL OR role_name = %(name)s"
        " ORDER BY township_code NULLS FIRST, role_name",
        {"name": name},
    ).fetchall()
    return [StaffMember(str(n), str(t) if t else None, str(at)) for n, t, at in rows]


def remove(conn: psycopg.Connection[Any], name: str) -> None:
    """The staff member's login role dropped: from now on it cannot connect, and a
    session still open has lost the group's grants."""
    with conn.transaction():
        _require_owner(conn)
        found = conn.execute("DELETE FROM hub_staff WHERE role_name = %s", (name,))
        if found.rowcount == 0:
            raise NoSuchStaff(NoSuchStaff.text.format(name=name))
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def _require_owner(conn: psycopg.Connection[Any]) -> None:
    """The hub's owner (or a superuser) able to make roles, else a plain refusal; the
    catalog is read first, which any role may, before the hub's own tables."""
    user, owner = owner_of(conn)
    if owner is not None:
        raise NotHubOwner(NotHubOwner.text.format(owner=owner, user=user))
    if not may_make_roles(conn):
        raise CannotMakeRoles(CannotMakeRoles.text.format(user=user))
    schema.check(conn)


def owner_of(conn: psycopg.Connection[Any]) -> tuple[str, str | None]:
    """(this connection's user, None) when it is the hub's owner or a superuser, else
    (user, the owner's name); NotAHub when the database is no hub.  The catalog is read,
    which any role may, before the hub's own tables."""
    row = conn.execute(
        "SELECT current_user, t.tableowner, r.rolsuper FROM pg_roles r"
        " LEFT JOIN pg_tables t ON t.schemaname = current_schema() AND t.tablename = %s"
        " WHERE r.rolname = current_user",
        (schema.VERSION_TABLE,),
    ).fetchone()
    user, owner, superuser = (str(row[0]), row[1], bool(row[2])) if row else ("", None, False)
    if owner is None:
        raise errors.NotAHub()
    return user, None if user == owner or superuser else str(owner)


def ensure_roles(conn: psycopg.Connection[Any]) -> None:
    """The group roles, grants and policies of this hub (hub.staff_roles)."""
    staff_roles.ensure_roles(conn, schema.VERSION_TABLE)
