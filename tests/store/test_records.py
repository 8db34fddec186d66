"""The one write path for register rows."""

from __future__ import annotations

import pytest

from fpdesk.store import records
from tests.conftest import VILLAGE


def test_insert_mints_time_ordered_ids(register) -> None:  # type: ignore[no-untyped-def]
    ids = [
        records.insert(
            register,
            "household",
            {"code": f"{VILLAGE}01{n:04d}", "village_code": VILLAGE, "group_no": "01"},
        )
        for n in range(1, 4)
    ]
    assert len(set(ids)) == 3
    assert all(len(i) == 36 and i[14] == "7" for i in ids)


def test_unknown_table_or_column_is_refused(register) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        records.insert(register, "change_log", {"tbl": "x"})
    with pytest.raises(ValueError):
        records.insert(register, "household", {"colour": "blue"})


def test_update_of_missing_row_fails_and_id_is_fixed(register) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyError):
        records.update(register, "household", "missing", {"address": "x"})
    with pytest.raises(ValueError):
        records.update(register, "household", "missing", {"id": "other"})


def test_household_code_stays_unique_among_live_rows(register) -> None:  # type: ignore[no-untyped-def]
    fields = {"code": f"{VILLAGE}010001", "village_code": VILLAGE, "group_no": "01"}
    first = records.insert(register, "household", fields)
    with pytest.raises(Exception, match="UNIQUE"):
        records.insert(register, "household", fields)
    records.delete(register, "household", first)
    records.insert(register, "household", fields)  # a tombstoned code may be reused
