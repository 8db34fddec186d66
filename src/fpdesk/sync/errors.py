"""Why a bundle or an enrollment file was refused, in both languages."""

from __future__ import annotations

import unicodedata

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text


class SyncError(FpdeskError):
    """A refusal the user can act on.  Nothing was written when this is raised."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)


class BundleRefused(SyncError):
    """A bundle file that will not be applied; `text` says why in plain words."""


# The reasons, in one place, so tests and documentation can name them.
TOO_LARGE = Text(
    "文件太大（{size} 字节，上限 {limit}），没有打开。",
    "The file is too large ({size} bytes, limit {limit}); it was not opened.",
)
NOT_FOR_US = Text(
    "这个文件不是发给本登记册的（它是给另一个登记册加密的，本机的密钥打不开），没有导入。"
    "请确认拿的是发给本乡镇（或本村）的文件。",
    "This file was not made for this register (it is encrypted for another register's "
    "key); nothing was imported. Check that it is the file made for this township (or "
    "village).",
)
NOT_A_FILE = Text(
    "{name} 不是普通文件（可能是设备或管道），没有读取。",
    "{name} is not an ordinary file (a device or a pipe?); it was not read.",
)
CANNOT_READ = Text("读不了文件 {name}：{error}", "Cannot read {name}: {error}")
NOT_THIS_VILLAGE = Text(
    "不是本村的文件：它是给 {village} 的，没有动它。",
    "Not for this village: this file is for {village}; it was left alone.",
)
ASK_AGAIN = Text(
    "{reason} 按文件名，它来自 {village}（未核实）：请让 {village} 重新导出数据包，"
    "再把新文件带来。",
    "{reason} By its file name it comes from {village} (not verified): ask {village} to "
    "export again and bring the new file.",
)
# The detail is a technical one, for support: said in English only, so that a Chinese
# message never carries an English phrase the clerk cannot read.
DAMAGED = Text(
    "包文件已损坏，没有导入任何内容。请让对方重新导出。",
    "The bundle is damaged ({detail}); nothing was imported. Ask for a new export.",
)
NEWER_FORMAT = Text(
    "这个包由更新版本的 fpdesk 制作（格式 {version}），请先升级本程序。",
    "This bundle was made by a newer fpdesk (format {version}); please upgrade first.",
)
NEWER_SCHEMA = Text(
    "这个包来自更新版本的登记册（结构 {theirs}，本机 {ours}），请先升级本程序。",
    "This bundle comes from a newer register (schema {theirs}, here {ours}); please "
    "upgrade fpdesk first.",
)
UNKNOWN_DEVICE = Text(
    "发送这个包的电脑 {device} 没有登记（未注册设备），已拒收。",
    "The laptop that made this bundle ({device}) is not enrolled here; refused.",
)
REVOKED_DEVICE = Text(
    "发送这个包的电脑 {device} 已于 {when} 被注销，已拒收。",
    "The laptop that made this bundle ({device}) was revoked on {when}; refused.",
)
BAD_SIGNATURE = Text(
    "签名不对：这个包不是登记过的电脑 {device} 制作的，或被改动过。已拒收。",
    "The signature does not match: this bundle was not made by the enrolled laptop "
    "{device}, or it was altered. Refused.",
)
WRONG_RECIPIENT = Text(
    "这个包是发给另一个登记册（{recipient}）的，不是本登记册。已拒收。",
    "This bundle is addressed to another register ({recipient}), not this one. Refused.",
)
WRONG_KIND = Text(
    "本登记册（{role}）不收这种包（{kind}）。",
    "This register ({role}) does not take this kind of bundle ({kind}).",
)
NO_DISTRICT = Text(
    "本乡镇登记册还没有加入区县汇总库（先运行 fpdesk enroll request，把申请交给区县）。",
    "This township register has not joined a district hub yet (run fpdesk enroll request "
    "and take the request to the district office).",
)
NO_KEYS = Text(
    "本登记册还没有加入同步（没有完成设备登记）。",
    "This register is not set up for exchange yet (enrollment is not finished).",
)


def shown(text: object, limit: int = 240) -> str:
    """Text from a file (its name, a manifest field) as it may be shown: every control
    or invisible character escaped, so a name holding a newline or colour codes cannot
    print a line of its own, and long text cut short."""
    escaped = "".join(_escape(ch) for ch in str(text))
    return escaped if len(escaped) <= limit else escaped[:limit] + "..."


def _escape(ch: str) -> str:
    if ch.isprintable() and unicodedata.category(ch) not in ("Cf", "Co"):
        return ch
    return ch.encode("unicode_escape", "backslashreplace").decode("ascii")
