"""`check_register` over a real encrypted register: clean, broken rows, broken file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fpdesk.core import idnumber
from fpdesk.core.clock import FixedClock
from fpdesk.store import records
from fpdesk.store.checks import check_register, person_with_id_number
from fpdesk.store.db import Register, open_register
from tests.conftest import PASSPHRASE, VILLAGE

CLOCK = FixedClock(dt.date(2026, 11, 28))
WIFE_ID = idnumber.make("450102", dt.date(1990, 5, 1), 22)
HUSBAND_ID = idnumber.make("450102", dt.date(1988, 3, 3), 11)


def family(reg: Register) -> dict[str, str]:
    home = records.insert(reg, "household", {
        "code": f"{VILLAGE}010001", "village_code": VILLAGE, "group_no": "01"})
    wife = records.insert(reg, "person", {
        "household_id": home, "name": "李秀英", "sex": 2, "birth_date": "1990-05-01",
        "id_number": WIFE_ID})
    husband = records.insert(reg, "person", {
        "household_id": home, "name": "张伟", "sex": 1, "birth_date": "1988-03-03",
        "id_number": HUSBAND_ID})
    marriage = records.insert(reg, "marriage", {
        "wife_id": wife, "husband_id": husband, "married_on": "2012-10-01"})
    pregnancy = records.insert(reg, "pregnancy", {
        "woman_id": wife, "marriage_id": marriage, "registered_on": "2019-07-01",
        "last_period_on": "2019-05-20", "outcome": "live_birth", "outcome_on": "2020-02-20"})
    child = records.insert(reg, "person", {
        "household_id": home, "name": "张小明", "sex": 1, "birth_date": "2020-02-20"})
    birth = records.insert(reg, "birth", {
        "pregnancy_id": pregnancy, "mother_id": wife, "father_id": husband,
        "marriage_id": marriage, "child_id": child, "birth_date": "2020-02-20", "sex": 1})
    iud = records.insert(reg, "contraception", {
        "woman_id": wife, "method": "iud", "started_on": "2020-06-01"})
    records.insert(reg, "visit", {
        "person_id": wife, "visit_type": "iud_followup", "visited_on": "2020-07-01",
        "follows_table": "contraception", "follows_id": iud})
    records.insert(reg, "supply", {"person_id": husband, "handed_on": "2026-01-01",
                                   "item": "condom", "quantity": 10})
    records.insert(reg, "certificate", {"woman_id": wife, "kind": "birth_certificate",
                                        "issued_on": "2019-08-01"})
    return {"home": home, "wife": wife, "husband": husband, "birth": birth, "iud": iud,
            "pregnancy": pregnancy}


def found(report: Any) -> list[tuple[str, str, str | None, str]]:
    return [(f.table, f.code, f.person_name, f.field) for f in report.failures]


def test_a_clean_register_passes(register: Register) -> None:
    family(register)
    report = check_register(register, CLOCK)
    assert report.ok, found(report)
    assert report.rows_checked["person"] == 3
    assert report.rows_checked["visit"] == 1
    assert report.as_dict()["ok"] is True


def test_every_failing_rule_is_listed_with_record_and_person(register: Register) -> None:
    ids = family(register)
    records.update(register, "person", ids["husband"], {"birth_date": "1988-03-04"})
    records.insert(register, "visit", {
        "person_id": ids["wife"], "visit_type": "postnatal", "visited_on": "2020-02-01",
        "follows_table": "birth", "follows_id": ids["birth"]})
    records.update(register, "contraception", ids["iud"], {"ended_on": "2019-01-01"})
    young = records.insert(register, "person", {
        "household_id": ids["home"], "name": "王小妹", "sex": 2, "birth_date": "2012-01-01"})
    records.insert(register, "birth", {"mother_id": young, "birth_date": "2020-01-01", "sex": 2})
    records.insert(register, "pregnancy", {"woman_id": ids["wife"], "registered_on": "2027-01-01"})
    # a deleted record is not checked, and a visit following it is pointed out
    records.delete(register, "pregnancy", ids["pregnancy"])
    records.insert(register, "visit", {
        "person_id": ids["wife"], "visit_type": "pregnancy_tracking", "visited_on": "2019-08-01",
        "follows_table": "pregnancy", "follows_id": ids["pregnancy"]})

    report = check_register(register, CLOCK)
    assert not report.ok
    assert sorted(found(report)) == sorted([
        ("person", "id.birth_mismatch", "张伟", "id_number"),
        ("visit", "date.order", "李秀英", "visited_on"),
        ("contraception", "date.order", "李秀英", "ended_on"),
        ("birth", "parent.too_young", "王小妹", "birth_date"),
        ("pregnancy", "date.future", "李秀英", "registered_on"),
        ("visit", "visit.follows_missing", "李秀英", "follows_id"),
        ("birth", "link.deleted", None, "pregnancy_id"),
    ])
    by_code = {f.code: f for f in report.failures}
    assert by_code["id.birth_mismatch"].record_id == ids["husband"]
    assert "1988-03-03" in by_code["id.birth_mismatch"].message.zh
    first = report.as_dict()["failures"][0]
    assert set(first) == {"table", "record_id", "person_name", "field", "code", "message"}
    assert set(first["message"]) == {"zh", "en"}


def test_the_same_number_typed_differently_is_a_duplicate(register: Register) -> None:
    ids = family(register)
    number = idnumber.make("450102", dt.date(1990, 1, 1), 2)
    records.insert(register, "person", {
        "household_id": ids["home"], "name": "甲", "sex": 2, "birth_date": "1990-01-01",
        "id_number": number})
    records.insert(register, "person", {
        "household_id": ids["home"], "name": "乙", "sex": 2, "birth_date": "1990-01-01",
        "id_number": number[:6] + " " + number[6:]})
    report = check_register(register, CLOCK)
    dupes = [f for f in report.failures if f.code == "id.duplicate"]
    assert sorted(f.person_name for f in dupes) == ["乙", "甲"]
    assert "乙" in dupes[0].message.zh or "甲" in dupes[0].message.zh


def test_person_with_id_number(register: Register) -> None:
    ids = family(register)
    holder = person_with_id_number(register, WIFE_ID.lower())
    assert holder is not None
    assert (holder.person_id, holder.name, holder.household_code) == (
        ids["wife"], "李秀英", f"{VILLAGE}010001")
    assert person_with_id_number(register, WIFE_ID, except_id=ids["wife"]) is None
    assert person_with_id_number(register, "11010519491231002X") is None


def test_a_broken_link_is_reported(register: Register) -> None:
    ids = family(register)
    register.conn.execute("PRAGMA foreign_keys = OFF")
    with register.transaction():
        register.conn.execute(
            "INSERT INTO visit (id, person_id, visit_type, visited_on) "
            "VALUES ('v-orphan', 'nobody', 'gyn_exam', '2026-01-01')")
    register.conn.execute("PRAGMA foreign_keys = ON")
    # The quick check is the file's alone; the links are the full check's.
    quick = check_register(register, CLOCK, quick=True)
    assert quick.integrity == "quick_check" and quick.ok
    assert list(quick.seconds) == ["file"] and quick.rows_checked == {}
    report = check_register(register, CLOCK)
    links = [f for f in report.failures if f.code == "link.broken"]
    assert report.failures_in("links") == links
    assert [(f.table, f.record_id) for f in links] == [("visit", "v-orphan")]
    assert "person" in links[0].message.en
    assert ids


def test_a_damaged_page_is_found(register: Register, register_path: Path) -> None:
    family(register)
    register.close()
    data = bytearray(register_path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    # damage the last page (page 1 holds the header, so the file still opens)
    data[-page + 100] ^= 0xFF
    register_path.write_bytes(bytes(data))
    reopened = open_register(register_path, PASSPHRASE)
    try:
        report = check_register(reopened, CLOCK)
    finally:
        reopened.close()
    damaged = [f for f in report.failures if f.code == "file.damaged"]
    assert damaged
    assert "damaged" in damaged[0].message.en and "损坏" in damaged[0].message.zh


def test_a_live_record_pointing_to_a_deleted_one_is_reported(register: Register) -> None:
    ids = family(register)
    records.delete(register, "person", ids["husband"])
    report = check_register(register, CLOCK)
    deleted = sorted((f.table, f.field) for f in report.failures if f.code == "link.deleted")
    # his marriage, the birth he fathered and the condoms handed to him
    assert deleted == [("birth", "father_id"), ("marriage", "husband_id"),
                       ("supply", "person_id")]
