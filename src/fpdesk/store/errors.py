"""Storage errors that are the environment's fault, each with a plain message.

A bug (a broken query, a constraint our code should have checked) is not one of
these: it propagates to the crash handler and the log.  What lands here is what the
user can act on: wrong passphrase, a file that is not a register, a disk that is full.
"""

from __future__ import annotations

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text


class RegisterError(FpdeskError):
    """An error the user can act on; `text` says what happened and what to do."""

    text = Text("登记册出错。", "The register could not be used.")


class WrongPassphrase(RegisterError):
    text = Text(
        "口令不对，登记册没有打开。请检查输入法和大小写后再试。",
        "Wrong passphrase: the register was not opened. Check the keyboard layout and "
        "caps lock and try again.",
    )


class NotARegister(RegisterError):
    text = Text(
        "这个文件不是 fpdesk 登记册（或已损坏），没有对它做任何改动。请选择正确的登记册文件。",
        "This file is not an fpdesk register (or it is damaged); nothing was written to it. "
        "Choose the right register file.",
    )


class NoRegisterHere(RegisterError):
    text = Text(
        "这里没有登记册文件。请检查路径，或先用 fpdesk init 新建一个。",
        "There is no register at this path. Check the path, or create one with fpdesk init.",
    )


class RegisterExists(RegisterError):
    text = Text(
        "这里已经有一个文件，没有覆盖它。请换一个文件名。",
        "A file already exists here; it was not overwritten. Choose another file name.",
    )


class RegisterTooNew(RegisterError):
    text = Text(
        "这个登记册由更新版本的 fpdesk 建立，本程序不能安全地打开它，"
        "没有做任何改动。请升级 fpdesk。",
        "This register was made by a newer fpdesk; this program cannot open it safely and "
        "changed nothing. Please upgrade fpdesk.",
    )


class DiskFull(RegisterError):
    text = Text(
        "磁盘已满，刚才的修改没有保存（已保存的数据没有丢失）。请腾出磁盘空间后再保存。",
        "The disk is full: the last change was not saved (what was saved before is safe). "
        "Free some disk space and save again.",
    )


class RegisterLocked(RegisterError):
    text = Text(
        "登记册正被另一个程序使用。请关闭其他打开它的 fpdesk 窗口后再试。",
        "The register is in use by another program. Close any other fpdesk window that "
        "has it open and try again.",
    )


class ReadOnlyLocation(RegisterError):
    text = Text(
        "不能写入这个位置（只读或没有权限）。请把登记册放在可写的文件夹里。",
        "This location cannot be written (read-only or no permission). Keep the register "
        "in a folder you can write to.",
    )


class RegisterDamaged(RegisterError):
    text = Text(
        "登记册文件已损坏，程序没有对它做任何改动。请用最近的备份恢复"
        "（在解锁窗口点“从备份恢复…”；命令行：fpdesk backup list 和 fpdesk backup restore），"
        "并把损坏的文件交给技术人员。",
        "The register file is damaged; nothing was written to it. Restore the latest "
        "backup (“Restore from a backup…” in the unlock window; on the command line: "
        "fpdesk backup list, then fpdesk backup restore) and give the damaged file to a "
        "technician.",
    )


class AccountNeeded(RegisterError):
    text = Text(
        "这个登记册按账户登录：请输入用户名和自己的口令（命令行用 --user 或 FPDESK_USER）。",
        "This register is opened with an account: give your user name and your own "
        "passphrase (on the command line --user or FPDESK_USER).",
    )


class RegisterBeingChecked(RegisterError):
    text = Text(
        "正在检查登记册…检查完毕前只能查看，不能修改（没有写入任何内容）。请稍候再试。",
        "Checking the register… Until the check is done it can be read but not changed "
        "(nothing was written). Try again in a moment.",
    )


class AccountProblem(RegisterError):
    """An account operation that cannot be done as asked; `text` says why."""
