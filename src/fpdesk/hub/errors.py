"""What can go wrong reaching or using a hub, each in plain words in both languages.

These derive from the one error base (core.errors.FpdeskError), so the command line
and the window show them plainly.  A bug is none of these.
Whenever one is raised, nothing was written to the hub.
"""

from __future__ import annotations

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text


class HubError(FpdeskError):
    text = Text("汇总库出错，没有写入任何内容。", "The hub could not be used; nothing was written.")


class BadHubUrl(HubError):
    text = Text(
        "汇总库地址写得不对（{detail}），没有连接。地址的样子是 "
        "postgresql://用户名@服务器:5432/数据库名。",
        "The hub address is not right ({detail}); nothing was connected. It looks like "
        "postgresql://user@server:5432/database.",
    )


class NoSuchHubDatabase(HubError):
    text = Text(
        "服务器上没有地址里写的数据库“{database}”，没有写入任何内容。请检查地址，"
        "或请管理员先建好这个数据库。",
        "The server has no database “{database}” named in the address; nothing was "
        "written. Check the address, or ask the administrator to create the database.",
    )


class HubServerDown(HubError):
    text = Text(
        "连不上汇总库的服务器（{where}），没有写入任何内容。请确认服务器已开机、"
        "数据库服务在运行、网络通畅，再试一次。",
        "The hub's server cannot be reached ({where}); nothing was written. Check that "
        "the server is on, its database service is running and the network works, then "
        "try again.",
    )


class HubAuthFailed(HubError):
    login_refused = True  # the window offers to type the password again
    text = Text(
        "汇总库不接受这个用户名或口令（用户“{user}”），没有写入任何内容。"
        "请检查地址里的用户名和口令，或请管理员开通账户。",
        "The hub did not accept this user name or password (user “{user}”); nothing "
        "was written. Check the user and password in the address, or ask the "
        "administrator for an account.",
    )


class HubPasswordNeeded(HubAuthFailed):
    """The server asks for a password the address did not give (the window asks for
    it; a command says so)."""

    password_needed = True

    text = Text(
        "汇总库要求输入用户“{user}”的口令，地址里没有口令，没有写入任何内容。"
        "请在地址里写上口令，或在窗口里输入。",
        "The hub asks for the password of user “{user}” and the address gives none; "
        "nothing was written. Put the password in the address, or type it in the window.",
    )


class HubTooNew(HubError):
    text = Text(
        "这个汇总库由更新版本的 fpdesk 建立（库版本 {found}，本程序只认识到 {known}），"
        "本程序不能安全地使用它，没有做任何改动。请升级 fpdesk。",
        "This hub was made by a newer fpdesk (hub version {found}; this program knows up "
        "to {known}); this program cannot use it safely and changed nothing. Please "
        "upgrade fpdesk.",
    )


class NotAHub(HubError):
    text = Text(
        "这个数据库还不是 fpdesk 汇总库（里面没有汇总库的表）。请先运行 fpdesk hub init。",
        "This database is not an fpdesk hub yet (it has none of the hub's tables). Run "
        "fpdesk hub init first.",
    )


class HubDiskFull(HubError):
    text = Text(
        "汇总库服务器的磁盘已满，刚才的操作没有保存（已保存的数据没有丢失）。"
        "请管理员腾出磁盘空间后再试。",
        "The hub server's disk is full: the last operation was not saved (what was saved "
        "before is safe). Ask the administrator to free disk space, then try again.",
    )


class HubServerFailed(HubError):
    text = Text(
        "fpdesk 自带的数据库服务没能启动（{detail}），没有写入任何内容。"
        "请检查数据文件夹 {folder} 是否可写、磁盘是否已满；日志在该文件夹的 log 文件里。",
        "fpdesk's own database server did not start ({detail}); nothing was written. "
        "Check that the data folder {folder} can be written and the disk is not full; "
        "its log is the file named log in that folder.",
    )


class HubOutOfDate(HubError):
    text = Text(
        "这个汇总库由较早版本的 fpdesk 建立，需要先升级它的表：请运行 fpdesk hub init"
        "（已有的数据会保留）。",
        "This hub was made by an earlier fpdesk and its tables need upgrading first: run "
        "fpdesk hub init (the data in it is kept).",
    )


class HubServerTooOld(HubError):
    text = Text(
        "汇总库服务器的 PostgreSQL 版本是 {found}，太旧了（至少要 {needed}），没有写入任何内容。"
        "请管理员升级 PostgreSQL。",
        "The hub server runs PostgreSQL {found}, which is too old (at least {needed} is "
        "needed); nothing was written. Ask the administrator to upgrade PostgreSQL.",
    )
