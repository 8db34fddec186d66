"""Code tables: labels in both languages, method flags."""

from __future__ import annotations

import pytest

from fpdesk.core import codes


def test_labels_in_both_languages_and_int_codes() -> None:
    assert codes.label("sex", 2, "zh") == "女"
    assert codes.label("sex", "2", "en") == "female"
    assert codes.text("marital_status", 20).zh == "已婚"


def test_the_56_ethnicities() -> None:
    numbered = [c for c in codes.codes("ethnicity") if int(c) <= 56]
    assert numbered == [f"{i:02d}" for i in range(1, 57)]
    assert codes.label("ethnicity", "01", "zh") == "汉族"
    assert codes.label("ethnicity", "08", "zh") == "壮族"


def test_exists_and_unknown_codes() -> None:
    assert codes.exists("visit_type", "iud_followup")
    assert not codes.exists("visit_type", "haircut")
    assert not codes.exists("sex", None)
    with pytest.raises(codes.UnknownCode):
        codes.label("sex", 5)
    with pytest.raises(codes.UnknownCode):
        codes.codes("no_such_table")


def test_method_flags() -> None:
    iud = codes.method("iud")
    assert iud.long_acting and iud.operation and iud.reversible and not iud.drugs_devices
    assert not codes.method("male_sterilisation").reversible
    pill = codes.method("pill")
    assert pill.drugs_devices and not pill.long_acting and pill.resupply_days == 28
    assert codes.method("iud").resupply_days is None
    assert {m.code for m in codes.methods() if m.long_acting} == {
        "male_sterilisation", "female_sterilisation", "iud", "implant"}
    with pytest.raises(codes.UnknownCode):
        codes.method("prayer")
