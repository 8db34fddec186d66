"""The woman's card read from a real register: children in couple order, husband, status."""

from __future__ import annotations

import datetime as dt

from fpdesk.store import records
from fpdesk.store.db import Register
from fpdesk.store.woman_card import childbearing_women, woman_card
from tests.conftest import VILLAGE

ON = dt.date(2026, 11, 28)


def add(reg: Register, table: str, **fields: object) -> str:
    return records.insert(reg, table, fields)


def test_card_is_read_from_the_register(register: Register) -> None:
    home = add(register, "household", code=f"{VILLAGE}010001", village_code=VILLAGE,
               group_no="01", address="一组1号")
    wife = add(register, "person", household_id=home, name="李秀英", sex=2,
               birth_date="1990-05-01", marital_status=22)
    husband = add(register, "person", household_id=home, name="张伟", sex=1,
                  birth_date="1988-03-03")
    add(register, "marriage", wife_id=wife, outside_spouse_name="王某",
        married_on="2010-01-01", ended_on="2013-01-01", end_reason="divorce")
    add(register, "marriage", wife_id=wife, husband_id=husband, married_on="2015-01-01")
    # her child from the first marriage, his child from before, their child together
    add(register, "birth", mother_id=wife, birth_date="2011-06-01", sex=2)
    add(register, "birth", mother_id=add(register, "person", household_id=home, name="前妻",
                                        sex=2, birth_date="1987-01-01"),
        father_id=husband, birth_date="2012-02-02", sex=1)
    child = add(register, "person", household_id=home, name="张小明", sex=1,
                birth_date="2017-03-03")
    add(register, "birth", mother_id=wife, father_id=husband, child_id=child,
        birth_date="2017-03-03", sex=1, weight_g=3200)
    add(register, "contraception", woman_id=wife, method="pill", started_on="2013-05-01",
        ended_on="2016-01-01")
    iud = add(register, "contraception", woman_id=wife, method="iud", started_on="2017-06-01")
    add(register, "visit", person_id=wife, visit_type="iud_check", visited_on="2026-06-01",
        result="正常", follows_table="contraception", follows_id=iud)
    add(register, "visit", person_id=wife, visit_type="five_must_visit", visited_on="2026-06-02")

    card = woman_card(register, wife, ON)
    assert card is not None
    assert card.woman["household_code"] == f"{VILLAGE}010001"
    assert card.husband is not None and card.husband["name"] == "张伟" and card.husband["current"]
    assert card.first_married_on == "2010-01-01"
    # each birth's order is for its own couple: his 2012 child was his first, and their
    # 2017 child counts both spouses' earlier children
    assert [(c.order, c.birth_date, c.relation) for c in card.children] == [
        (1, "2011-06-01", "own"), (1, "2012-02-02", "step"), (3, "2017-03-03", "own")]
    assert card.children[2].name == "张小明" and card.children[2].alive
    assert card.current_method is not None and card.current_method["id"] == iud
    assert [c["method"] for c in card.contraception] == ["pill", "iud"]
    assert [v["visit_type"] for v in card.checks] == ["iud_check"]
    assert card.status.on_card and card.status.entered == "reached_15"

    # the card is a view: a change to the register shows at once
    records.update(register, "person", child, {"death_date": "2020-01-01"})
    again = woman_card(register, wife, ON)
    assert again is not None and not again.children[2].alive
    # as it stood on an earlier date
    earlier = woman_card(register, wife, dt.date(2014, 1, 1))
    assert earlier is not None and earlier.husband is not None
    assert earlier.husband["name"] == "王某" and not earlier.husband["current"]
    assert [c.birth_date for c in earlier.children] == ["2011-06-01"]  # not yet his wife
    assert woman_card(register, "nobody", ON) is None


def test_childbearing_women_of_a_village(register: Register) -> None:
    home = add(register, "household", code=f"{VILLAGE}010001", village_code=VILLAGE,
               group_no="01")
    married = add(register, "person", household_id=home, name="已婚", sex=2,
                  birth_date="1990-01-01")
    add(register, "marriage", wife_id=married, outside_spouse_name="某", married_on="2012-01-01")
    add(register, "person", household_id=home, name="未婚", sex=2, birth_date="2005-01-01")
    add(register, "person", household_id=home, name="太小", sex=2, birth_date="2012-01-01")
    add(register, "person", household_id=home, name="五十", sex=2, birth_date="1976-11-28")
    add(register, "person", household_id=home, name="男", sex=1, birth_date="1990-01-01")
    # Floating out (流出) she is still registered here, so still on the card; a hukou
    # moved away (迁出) takes her off it; a floating-in woman's card is the residence
    # place's own line, not in the registered count.
    away = add(register, "person", household_id=home, name="流出", sex=2, birth_date="1995-01-01")
    add(register, "move", person_id=away, kind="float_out", moved_on="2025-01-01", place="东莞")
    back = add(register, "person", household_id=home, name="回来", sex=2, birth_date="1995-01-01")
    add(register, "move", person_id=back, kind="float_out", moved_on="2024-01-01", place="东莞")
    add(register, "move", person_id=back, kind="return", moved_on="2025-01-01")
    gone = add(register, "person", household_id=home, name="迁出", sex=2, birth_date="1995-01-01")
    add(register, "move", person_id=gone, kind="transfer_out", moved_on="2025-01-01", place="外县")
    guest = add(register, "person", household_id=home, name="流入", sex=2, birth_date="1995-01-01",
                residence_status="in")
    add(register, "move", person_id=guest, kind="float_in", moved_on="2025-01-01", place="外县")

    names = [w["name"] for w in childbearing_women(register, ON)]
    assert sorted(names) == sorted(["已婚", "未婚", "流出", "回来"])
    resident = [w["name"] for w in childbearing_women(register, ON, basis="resident")]
    assert sorted(resident) == sorted(["已婚", "未婚", "回来", "流入"])
    assert [w["name"] for w in childbearing_women(register, ON, married_only=True)] == ["已婚"]
    assert childbearing_women(register, ON, VILLAGE[:9] + "202") == []
