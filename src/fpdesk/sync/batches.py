"""Long lists of ids read a batch at a time: a statement takes only so many parameters
(SQLite's limit was 999 before 3.32), so `IN (...)` gets at most BATCH of them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

BATCH = 500


def batches(ids: Sequence[str]) -> Iterator[tuple[list[str], str]]:
    """The ids in order, BATCH at a time, each batch with its placeholders ("?, ?")."""
    for start in range(0, len(ids), BATCH):
        chunk = list(ids[start : start + BATCH])
        yield chunk, ", ".join("?" for _ in chunk)
