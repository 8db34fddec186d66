"""A session on a hub for the window (`fpdesk gui --hub`), without Qt: logging in as a
staff member or as the hub's owner, who that is, the townships' status, the indicator
source on a connection of its own for each piece of work, and the workbooks that
`fpdesk hub report` writes.

It only reads.  The password, when the server asks for one, is kept in this object
for the session's further connections (each worker opens its own) and never written
anywhere nor shown.  Without an address the hub is the embedded server of this
machine, started here and stopped by `close()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from openpyxl import Workbook

from fpdesk.core.periods import Period
from fpdesk.hub import connection, schema, server
from fpdesk.hub import status as hub_status
from fpdesk.hub.indicators import HubSource
from fpdesk.reports import excel
from fpdesk.reports import indicators as ind

OWNER, DISTRICT, TOWNSHIP, READER = "owner", "district", "township", "reader"


@dataclass(frozen=True)
class Login:
    """Who is logged in: the hub's owner, district staff, a township's staff (its rows
    only, by row-level security), or another role (it reads what the server grants)."""

    user: str
    kind: str  # OWNER | DISTRICT | TOWNSHIP | READER
    township: str | None = None
    township_name: str | None = None


def who(conn: psycopg.Connection[Any]) -> Login:
    """The login of `conn` (hub_staff's row of the user, which each staff member reads)."""
    row = conn.execute(
        "SELECT current_user, t.tableowner = current_user OR r.rolsuper FROM pg_roles r"
        " LEFT JOIN pg_tables t ON t.schemaname = current_schema() AND t.tablename = %s"
        " WHERE r.rolname = current_user",
        (schema.VERSION_TABLE,),
    ).fetchone()
    user, owner = (str(row[0]), bool(row[1])) if row else ("", False)
    if owner:
        return Login(user, OWNER)
    staff = conn.execute(
        "SELECT s.township_code, t.name FROM hub_staff s"
        " LEFT JOIN hub_township t ON t.code = s.township_code WHERE s.role_name = current_user"
    ).fetchone()
    if staff is None:
        return Login(user, READER)
    if staff[0] is None:
        return Login(user, DISTRICT)
    return Login(user, TOWNSHIP, str(staff[0]), str(staff[1] or staff[0]))


def build_workbook(
    source: HubSource, period: Period, kind: str, *, with_lists: bool = False
) -> Workbook:
    """The district's forms of `kind` (monthly, annual), or the assessment a row per
    township (`hub report`, the window's export), read in one snapshot; `with_lists` adds
    the persons behind the area's numbers (名单), as a register's report does."""
    with source.reading():
        workbook = excel.build(source, period, kind, by_township=True)
        if with_lists:
            excel.add_member_lists(workbook, source, ind.compute(source, period))
        return workbook


class HubSession:
    """An open hub: its address, who is logged in, a connection for the window's thread."""

    def __init__(self, url: str, password: str | None, stack: ExitStack) -> None:
        self.url = url
        self._password = password
        self._stack = stack
        self.where = connection.where(url)
        self.embedded = False  # this machine's own server (open() without an address)
        self.conn = self._connect(autocommit=True)
        stack.callback(self.conn.close)
        with connection.translated(url):
            schema.check(self.conn)
            self.login = who(self.conn)

    @classmethod
    def open(cls, url: str | None, password: str | None = None) -> HubSession:
        """Log in to the hub at `url` (None: this machine's embedded hub, started now);
        a hub.errors kind if it cannot be used (HubPasswordNeeded: ask and try again)."""
        stack = ExitStack()
        try:
            if url is None:
                url = stack.enter_context(server.running())
                session = cls(url, password, stack)
                session.embedded = True
                return session
            return cls(url, password, stack)
        except BaseException:
            stack.close()
            raise

    def close(self) -> None:
        """The connection closed and an embedded server stopped."""
        self._stack.close()

    def _connect(self, **kwargs: Any) -> psycopg.Connection[Any]:
        if self._password is not None:
            kwargs["password"] = self._password
        return connection.connect(self.url, **kwargs)

    # ------------------------------------------------------------ reading

    def status(self, today: dt.date) -> hub_status.HubStatus:
        """What `fpdesk hub status` shows (a township's staff: its township only)."""
        with connection.translated(self.url):
            return hub_status.status(self.conn, today)

    def area(self) -> tuple[str, str]:
        """(code, name) of what the dashboard counts: the district, or the township of a
        township's staff (its numbers are the township's, never shown as the district's).
        EmptyHub when the hub holds no township yet."""
        with connection.translated(self.url):
            source = HubSource(self.conn, self.login.township)
            name = source.area_names([source.area]).get(source.area, source.area)
        return source.area, name

    @contextmanager
    def source(self) -> Iterator[HubSource]:
        """The indicator engine's source on a connection of its own (for a worker), in
        one snapshot; closed afterwards."""
        conn = self._connect()
        try:
            with connection.translated(self.url):
                source = HubSource(conn, self.login.township)
                with source.reading():
                    yield source
        finally:
            conn.close()

    def write_workbook(self, period: Period, kind: str, out: str | Path) -> str:
        """`fpdesk hub report --kind KIND` into `out` (on a connection of its own, for a
        worker); the file's SHA-256."""
        with self.source() as source:
            workbook = build_workbook(source, period, kind)
        return excel.save(workbook, out)
