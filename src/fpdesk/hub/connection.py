"""Opening a connection to a hub, with the server's failures said plainly.

Every psycopg failure a user can meet is turned into a hub.errors kind here, in one
place: connecting (a wrong address, a server that is down, a refused login, a
database that does not exist) and working (a full disk, a server gone mid-way).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import conninfo

from fpdesk.core.i18n import Text
from fpdesk.hub import errors

SCHEMES = ("postgresql://", "postgres://")
CONNECT_TIMEOUT_S = 10  # a server that does not answer is reported, not waited for forever
# The oldest PostgreSQL a hub runs on (issue 17): 14 has what the hub's SQL uses and is
# the oldest release still maintained when the hub was written.
MIN_SERVER_VERSION = 140000

# SQLSTATE classes (PostgreSQL manual, appendix A).
_AUTH = ("28000", "28P01")  # invalid authorization specification, invalid password
_NO_DATABASE = "3D000"
_DISK_FULL = "53100"


def parts(url: str) -> dict[str, Any]:
    """The address's parts (host, port, user, dbname), or BadHubUrl."""
    if not url.startswith(SCHEMES):
        detail = Text("没有以 postgresql:// 开头", "it does not begin with postgresql://")
        raise errors.BadHubUrl(_with_detail(detail))
    try:
        return conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        # The driver's own words go in the English message only.
        detail = Text("格式读不懂", f"it cannot be read: {_first_line(exc)}")
        raise errors.BadHubUrl(_with_detail(detail)) from exc


def where(url: str) -> str:
    """Server and database named by `url`, never its password: for messages."""
    info = parts(url)
    host = info.get("host") or "localhost"
    port = info.get("port") or "5432"
    place = host if str(host).startswith("/") else f"{host}:{port}"
    return f"{place}/{info.get('dbname') or info.get('user') or ''}"


def connect(url: str, **kwargs: Any) -> psycopg.Connection[Any]:
    """A connection to a PostgreSQL recent enough for a hub, or a HubError."""
    info = parts(url)
    try:
        conn = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S, **kwargs)
    except psycopg.OperationalError as exc:
        raise _refused(exc, url, info) from exc
    try:
        require_version(conn)
    except errors.HubServerTooOld:
        conn.close()
        raise
    return conn


def require_version(conn: psycopg.Connection[Any], minimum: int = MIN_SERVER_VERSION) -> None:
    found = conn.info.server_version
    if found < minimum:
        raise errors.HubServerTooOld(
            errors.HubServerTooOld.text.format(found=_release(found), needed=_release(minimum))
        )


def _release(version: int) -> str:
    """libpq's number as people write it: 140011 -> 14.11, 90624 -> 9.6."""
    if version < 100000:
        return f"{version // 10000}.{version // 100 % 100}"
    return f"{version // 10000}.{version % 10000}"


@contextmanager
def opened(url: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection for one piece of work; failures on the way become hub errors."""
    conn = connect(url)
    try:
        with translated(url):
            yield conn
    finally:
        conn.close()


@contextmanager
def translated(url: str) -> Iterator[None]:
    """The server's failures while working, said plainly (nothing is committed then:
    every piece of work is one transaction)."""
    try:
        yield
    except psycopg.errors.DiskFull as exc:
        raise errors.HubDiskFull() from exc
    except (psycopg.OperationalError, psycopg.errors.AdminShutdown) as exc:
        if exc.sqlstate == _DISK_FULL:
            raise errors.HubDiskFull() from exc
        raise errors.HubServerDown(errors.HubServerDown.text.format(where=where(url))) from exc


def _refused(exc: psycopg.OperationalError, url: str, info: dict[str, Any]) -> errors.HubError:
    # libpq reports a refused login only in words (no SQLSTATE reaches psycopg when
    # connecting), in the server's language: English, or Chinese on a server set up so.
    said = str(exc)
    if _any(said, _NO_PASSWORD):
        user = info.get("user", "")
        return errors.HubPasswordNeeded(errors.HubPasswordNeeded.text.format(user=user))
    if exc.sqlstate in _AUTH or _any(said, _LOGIN_REFUSED):
        return errors.HubAuthFailed(errors.HubAuthFailed.text.format(user=info.get("user", "")))
    if exc.sqlstate == _NO_DATABASE or _any(said, _NO_DATABASE_SAID):
        name = info.get("dbname") or info.get("user") or ""
        return errors.NoSuchHubDatabase(errors.NoSuchHubDatabase.text.format(database=name))
    if _any(said, _UNKNOWN_HOST):
        host = info.get("host")
        detail = Text(f"不认识服务器名“{host}”", f"the server name “{host}” is unknown")
        return errors.BadHubUrl(_with_detail(detail))
    return errors.HubServerDown(errors.HubServerDown.text.format(where=where(url)))


_LOGIN_REFUSED = (
    ("password authentication failed",),
    ("role ", " does not exist"),
    ("认证失败",),
    ("角色", "不存在"),
)
# libpq's words when the server asks for a password the address did not give.
_NO_PASSWORD = (("no password supplied",),)
_NO_DATABASE_SAID = (("database ", " does not exist"), ("数据库", "不存在"))
# libpq's and psycopg's words for a name the resolver does not know, by release and
# system (Linux, macOS, Windows).
_UNKNOWN_HOST = (
    ("translate host name",),
    ("resolve host",),
    ("Name or service not known",),
    ("nodename nor servname",),
    ("No such host is known",),
)


def _any(said: str, patterns: tuple[tuple[str, ...], ...]) -> bool:
    return any(all(part in said for part in pattern) for pattern in patterns)


def _with_detail(detail: Text) -> Text:
    template = errors.BadHubUrl.text
    return Text(template.zh.format(detail=detail.zh), template.en.format(detail=detail.en))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
