"""Writing many rows at once: the search index kept once per batch, not per row.

Every writer of many rows (a bundle being applied, a merge, a ledger import, a
script) writes inside `writing(register)`: one transaction in which the search
index's per-row triggers are paused and the persons and households it touched are
indexed again once at the end (store.search_batch).  The change-log triggers still
log every row; a writer that sends many rows through one statement can log them by
statement as well (store.capture.logged_in_bulk), as the township's import does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fpdesk.store import search_batch
from fpdesk.store.db import Register


@contextmanager
def writing(register: Register) -> Iterator[Any]:
    """A transaction for many rows; yields the connection, as register.transaction().

    The search index catches up at the end: a search inside the batch does not find
    what the batch wrote yet.  Nested inside another transaction it is a savepoint,
    and inside another batch it adds nothing (the outer one indexes everything).
    """
    with register.transaction() as conn, search_batch.paused(conn):
        yield conn
