"""Area names: one lookup for every face; the clerk names the villages once."""

from __future__ import annotations

import pytest

from fpdesk.store import areas
from fpdesk.store.access import AccessDenied
from fpdesk.store.db import Register, create_register
from tests.conftest import PASSPHRASE, TOWNSHIP


@pytest.fixture
def township(tmp_path) -> Register:  # type: ignore[no-untyped-def]
    reg = create_register(tmp_path / "t.fpdesk", PASSPHRASE, role="township", area_code=TOWNSHIP)
    yield reg
    reg.close()


def test_unknown_codes_read_as_themselves_until_named(township: Register) -> None:
    village = TOWNSHIP[:9] + "201"
    assert areas.name(township, village) == village
    assert areas.name(township, None) == ""
    areas.set_name(township, village, " 那况村 ")
    areas.set_name(township, TOWNSHIP, "三塘镇")
    assert areas.names(township, [village, TOWNSHIP, TOWNSHIP[:9] + "202"]) == {
        village: "那况村",
        TOWNSHIP: "三塘镇",
        TOWNSHIP[:9] + "202": TOWNSHIP[:9] + "202",
    }
    areas.set_name(township, village, "那况新村")  # renamed: one row, the new name
    assert areas.name(township, village) == "那况新村"
    assert [a["name"] for a in areas.listing(township)] == ["三塘镇", "那况新村"]


def test_only_areas_inside_the_register_are_named(township: Register) -> None:
    elsewhere = "450103001201"
    with pytest.raises(AccessDenied) as refused:
        areas.set_name(township, elsewhere, "别处村")
    assert elsewhere in refused.value.text.zh
    assert areas.name(township, elsewhere) == elsewhere
