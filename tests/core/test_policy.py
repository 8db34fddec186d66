"""Birth order for the couple, and judging a birth by the rule set in force on its date."""

from __future__ import annotations

import datetime as dt

from fpdesk.core import policy
from fpdesk.core.policy import BirthFacts, BirthOrder

GUANGXI = "450102001201"
HUNAN = "430102001201"


def birth(bid: str, mother: str, father: str | None, day: str, **kw: str) -> BirthFacts:
    return BirthFacts(bid, mother, father, dt.date.fromisoformat(day), **kw)


def test_orders_count_both_spouses_children_from_any_marriage() -> None:
    births = [
        birth("a", "w1", "h1", "2005-03-01"),  # husband's child with his first wife
        birth("b", "w2", None, "2007-06-01"),  # wife's child from before, father elsewhere
        birth("c", "w2", "h1", "2012-01-10"),  # the couple's own child
        birth("d", "w3", "h9", "2008-01-01"),  # another family
    ]
    orders = policy.birth_orders(births)
    assert orders["a"].order == 1
    assert orders["b"].order == 1
    assert orders["c"].order == 3
    assert orders["d"].order == 1


def test_twins_get_consecutive_orders_and_share_their_delivery_order() -> None:
    births = [
        birth("first", "w", "h", "2016-05-01"),
        birth("t2", "w", "h", "2019-07-08"),  # born after midnight
        birth("t1", "w", "h", "2019-07-07"),
    ]
    orders = policy.birth_orders(births)
    assert orders["first"] == BirthOrder(1, 1)
    assert orders["t1"] == BirthOrder(2, 2)
    assert orders["t2"] == BirthOrder(3, 2)


def test_order_is_independent_of_input_order() -> None:
    births = [birth(str(i), "w", "h", f"20{10 + i}-01-01") for i in range(4)]
    assert policy.birth_orders(births) == policy.birth_orders(list(reversed(births)))


def test_the_rule_in_force_on_the_birth_date_decides() -> None:
    assert policy.rule_in_force(GUANGXI, dt.date(2010, 1, 1)).id == "guangxi-2002"
    assert policy.rule_in_force(GUANGXI, dt.date(2014, 3, 28)).id == (
        "guangxi-2014-one-only-child")
    assert policy.rule_in_force(GUANGXI, dt.date(2015, 12, 31)).id == (
        "guangxi-2014-one-only-child")
    assert policy.rule_in_force(GUANGXI, dt.date(2016, 1, 1)).id == "national-2016-two-children"
    assert policy.rule_in_force(HUNAN, dt.date(2010, 1, 1)).id == "provincial-default-1980"
    assert policy.rule_in_force(GUANGXI, dt.date(2021, 8, 19)).id == (
        "national-2016-two-children")
    assert policy.rule_in_force(GUANGXI, dt.date(2021, 8, 20)).id == (
        "national-2021-three-children")
    assert policy.rule_in_force(GUANGXI, dt.date(1975, 1, 1)) is None


def test_second_child_2010_needs_a_certificate_in_guangxi() -> None:
    without = birth("x", "w", "h", "2010-06-01", area_code=GUANGXI)
    verdict = policy.judge(without, 2)
    assert not verdict.compliant
    assert verdict.document_needed == "certificate"
    assert verdict.rule_id == "guangxi-2002"
    assert "生育证" in verdict.reason.zh and "certificate" in verdict.reason.en
    with_doc = birth("x", "w", "h", "2010-06-01", area_code=GUANGXI, document_kind="certificate")
    assert policy.judge(with_doc, 2).compliant
    approval = birth("x", "w", "h", "2010-06-01", area_code=GUANGXI, document_kind="approval")
    assert policy.judge(approval, 2).compliant
    assert policy.judge(without, 1).compliant


def test_two_and_three_children() -> None:
    second = birth("x", "w", "h", "2017-03-01", area_code=GUANGXI)
    verdict = policy.judge(second, 2)
    assert verdict.compliant and verdict.document_needed == "registration"
    third = birth("x", "w", "h", "2019-03-01", area_code=GUANGXI)
    assert not policy.judge(third, 3).compliant
    third_2022 = birth("x", "w", "h", "2022-03-01", area_code=GUANGXI)
    assert policy.judge(third_2022, 3).compliant
    fourth = policy.judge(third_2022, 4)
    assert not fourth.compliant and fourth.document_needed is None
    assert "4" in fourth.reason.zh and "4" in fourth.reason.en


def test_twins_at_the_first_delivery_are_judged_as_the_first() -> None:
    twin = birth("t2", "w", "h", "2012-07-07", area_code=HUNAN)
    assert not policy.judge(twin, 2).compliant
    assert policy.judge(twin, BirthOrder(order=2, delivery_order=1)).compliant


def test_a_birth_before_any_rule_set_is_not_judged_out_of_policy() -> None:
    old = birth("o", "w", "h", "1970-01-01", area_code=GUANGXI)
    verdict = policy.judge(old, 5)
    assert verdict.compliant and verdict.rule_id is None


def test_rule_sets_are_data() -> None:
    data = {"rule_sets": [{
        "id": "test-one", "area": "4501", "effective_from": "2000-01-01",
        "effective_to": None, "name": ["测试", "test"],
        "orders": [{"order": 1, "document": "approval"}],
    }]}
    rules = policy.parse_rule_sets(data)
    first = birth("a", "w", "h", "2001-01-01", area_code=GUANGXI)
    assert policy.judge(first, 1, rules).document_needed == "approval"
    assert not policy.judge(first, 1, rules).compliant
    elsewhere = birth("a", "w", "h", "2001-01-01", area_code=HUNAN)
    assert policy.judge(elsewhere, 1, rules).rule_id is None


def test_shipped_rule_sets_do_not_overlap_within_an_area() -> None:
    sets = policy.rule_sets()
    for a in sets:
        for b in sets:
            if a.id >= b.id or a.area != b.area:
                continue
            a_end = a.effective_to or dt.date.max
            b_end = b.effective_to or dt.date.max
            assert a_end < b.effective_from or b_end < a.effective_from, (a.id, b.id)
