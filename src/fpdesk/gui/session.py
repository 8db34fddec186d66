"""Whose session the window is: the account the idle lock lets back in.

Set at each unlock (gui.startup) and when the accounts dialog turns a register over
to accounts (gui.accounts_dialog); read by the lock's unlock dialog.  Kept here, below
both, so that neither dialog imports the other to reach it.  One value per process:
the window holds one session at a time.
"""

from __future__ import annotations

user: str | None = None
