from __future__ import annotations

import uuid

import pytest

from fpdesk.core.ids import new_id


def test_uuid7_layout() -> None:
    value = uuid.UUID(new_id())
    assert value.version == 7
    assert value.variant == uuid.RFC_4122


def test_deterministic_with_fixed_inputs_and_time_ordered() -> None:
    a = new_id(unix_ms=1_700_000_000_000, rand=bytes(10))
    assert a == new_id(unix_ms=1_700_000_000_000, rand=bytes(10))
    b = new_id(unix_ms=1_700_000_000_001, rand=bytes(10))
    assert a < b
    with pytest.raises(ValueError):
        new_id(rand=b"short")
