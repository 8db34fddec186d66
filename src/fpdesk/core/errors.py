"""The one base of every error a user can meet: a plain message in both languages.

What derives from `FpdeskError` is the environment's fault or the input's (a wrong
passphrase, a full disk, a bundle made for another township, a period that cannot be
read), and its `text` says what went wrong and what to do.  A bug is never one of
these: it goes on to the crash dialog and the log.  The command line prints `text`
and exits non-zero (fpdesk.cli.main); the window shows it in a message box
(gui.crash.report): each in one place, for every kind.

A kind keeps its other bases (ValueError, LookupError) where callers catch those.
"""

from __future__ import annotations

from fpdesk.core.i18n import Text


class FpdeskError(Exception):
    """An error the user can act on; `text` says what happened and what to do, and
    `path`, when there is one, names the file it is about."""

    text = Text("出错了，没有做任何改动。", "Something went wrong; nothing was changed.")

    def __init__(self, text: Text | None = None, *, path: str | None = None) -> None:
        if text is not None:
            self.text = text
        self.path = path
        super().__init__(self.text.en)

    def __str__(self) -> str:
        return str(self.text)  # in the language chosen when it is shown
