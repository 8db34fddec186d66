"""Birth order for the couple and the birth-policy rule set in force on a birth date.

Birth order (孩次) is never typed: it is computed from every birth of both spouses, from
any marriage.  The rule sets are data (resources/policy_rules.json), dated and keyed by
area; a birth is judged by the rule set in force on its birth date where the mother is
registered.  A verdict only says which registration document the couple needs and
whether the birth has it: the register records services, never penalties.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from fpdesk.core.codes import load_resource
from fpdesk.core.dates import stored
from fpdesk.core.i18n import Text

# A document at least as strong as the one needed will do.
DOCUMENT_RANK = {"none": 0, "registration": 1, "certificate": 2, "approval": 3}
# Children born this close together to one mother came from one delivery (twins
# born either side of midnight).
SAME_DELIVERY_DAYS = 1


@dataclass(frozen=True)
class BirthFacts:
    """What the order and the verdict need to know about one birth row."""

    id: str
    mother_id: str
    father_id: str | None
    birth_date: dt.date
    area_code: str = ""
    document_kind: str | None = None


@dataclass(frozen=True)
class BirthOrder:
    order: int  # 1 for the couple's first child; twins get consecutive orders
    delivery_order: int  # the order of the first child of the same delivery


@dataclass(frozen=True)
class OrderRule:
    order: int
    document: str
    conditions: tuple[Text, ...]


@dataclass(frozen=True)
class RuleSet:
    id: str
    area: str
    effective_from: dt.date
    effective_to: dt.date | None
    name: Text
    same_delivery_as_one: bool
    orders: tuple[OrderRule, ...]

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def applies_to(self, area_code: str) -> bool:
        return area_code.startswith(self.area)

    def for_order(self, order: int) -> OrderRule | None:
        return next((rule for rule in self.orders if rule.order == order), None)


@dataclass(frozen=True)
class Verdict:
    compliant: bool
    rule_id: str | None
    document_needed: str | None
    reason: Text


def _text(pair: Sequence[str]) -> Text:
    return Text(str(pair[0]), str(pair[1]))


def parse_rule_sets(data: dict[str, Any]) -> tuple[RuleSet, ...]:
    sets = []
    for item in data["rule_sets"]:
        start = stored(item["effective_from"])
        if start is None:
            raise ValueError(f"rule set {item['id']} needs effective_from")
        orders = tuple(
            OrderRule(
                order=int(rule["order"]),
                document=str(rule["document"]),
                conditions=tuple(_text(c) for c in rule.get("conditions", ())),
            )
            for rule in item["orders"]
        )
        for rule in orders:
            if rule.document not in DOCUMENT_RANK:
                raise ValueError(f"rule set {item['id']}: unknown document {rule.document!r}")
        sets.append(
            RuleSet(
                id=str(item["id"]),
                area=str(item.get("area") or ""),
                effective_from=start,
                effective_to=stored(item.get("effective_to")),
                name=_text(item["name"]),
                same_delivery_as_one=bool(item.get("same_delivery_as_one", True)),
                orders=orders,
            )
        )
    return tuple(sets)


@cache
def rule_sets() -> tuple[RuleSet, ...]:
    """The rule sets shipped in resources/policy_rules.json."""
    return parse_rule_sets(load_resource("policy_rules.json"))


def rule_in_force(
    area_code: str, on: dt.date, rules: Iterable[RuleSet] | None = None
) -> RuleSet | None:
    """The rule set for the area on the date: the most specific area wins."""
    candidates = [
        r
        for r in (rule_sets() if rules is None else rules)
        if r.in_force(on) and r.applies_to(area_code)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda r: (len(r.area), r.effective_from))


def birth_orders(births: Iterable[BirthFacts]) -> dict[str, BirthOrder]:
    """The order of each birth for its couple: both spouses' children, any marriage.

    A birth's order counts every earlier birth of its mother (with any father) and of
    its father (with any mother).  Births on the same date are taken in a stable order
    (by id), so twins get consecutive orders.
    """
    rows = sorted(births, key=lambda b: (b.birth_date, b.id))
    position = {b.id: i for i, b in enumerate(rows)}
    by_mother: dict[str, list[BirthFacts]] = defaultdict(list)
    by_father: dict[str, list[BirthFacts]] = defaultdict(list)
    for b in rows:
        by_mother[b.mother_id].append(b)
        if b.father_id:
            by_father[b.father_id].append(b)
    orders: dict[str, BirthOrder] = {}
    for b in rows:
        family = {x.id for x in by_mother[b.mother_id]}
        if b.father_id:
            family.update(x.id for x in by_father[b.father_id])
        order = 1 + sum(1 for other in family if position[other] < position[b.id])
        first = _first_of_delivery(b, by_mother[b.mother_id])
        delivery_order = orders[first.id].order if first.id != b.id else order
        orders[b.id] = BirthOrder(order=order, delivery_order=delivery_order)
    return orders


def _first_of_delivery(birth: BirthFacts, mothers_births: list[BirthFacts]) -> BirthFacts:
    """The first child (in sorted order) of the delivery `birth` belongs to."""
    first = birth
    for other in mothers_births:  # sorted by date, then id
        if other.id == birth.id:
            break
        if (birth.birth_date - other.birth_date).days <= SAME_DELIVERY_DAYS:
            first = other
            break
    return first


_NO_RULE = Text(
    "出生日期时没有适用的生育政策规定。", "No birth-policy rule set was in force on the birth date."
)
_REGISTRATION = Text(
    "第{order}孩：按“{rule}”只需生育登记。",
    "Child {order}: under '{rule}' only registration is needed.",
)
_HAS_DOCUMENT = Text(
    "第{order}孩：按“{rule}”需要{document}，已登记。",
    "Child {order}: under '{rule}' a {document} is needed and is recorded.",
)
_MISSING_DOCUMENT = Text(
    "第{order}孩：按“{rule}”需要{document}，出生记录中没有。",
    "Child {order}: under '{rule}' a {document} is needed; the birth record has none.",
)
_BEYOND = Text(
    "第{order}孩：超出“{rule}”规定的孩次。",
    "Child {order}: beyond the children '{rule}' provides for.",
)
_DOCUMENT_NAMES = {
    "registration": Text("生育登记", "registration"),
    "certificate": Text("生育证", "certificate"),
    "approval": Text("再生育审批", "approval"),
}


def _say(template: Text, order: int, rule: RuleSet, document: str | None = None) -> Text:
    doc = _DOCUMENT_NAMES.get(document or "", Text("", ""))
    return Text(
        template.zh.format(order=order, rule=rule.name.zh, document=doc.zh),
        template.en.format(order=order, rule=rule.name.en, document=doc.en),
    )


def judge(
    birth: BirthFacts, order: BirthOrder | int, rules: Iterable[RuleSet] | None = None
) -> Verdict:
    """Whether a birth is within the rule set in force on its date, and what it needs."""
    if isinstance(order, int):
        order = BirthOrder(order=order, delivery_order=order)
    rule_set = rule_in_force(birth.area_code, birth.birth_date, rules)
    if rule_set is None:
        return Verdict(True, None, None, _NO_RULE)
    judged = order.delivery_order if rule_set.same_delivery_as_one else order.order
    rule = rule_set.for_order(judged)
    if rule is None:
        return Verdict(False, rule_set.id, None, _say(_BEYOND, order.order, rule_set))
    if rule.document == "registration":
        return Verdict(True, rule_set.id, rule.document, _say(_REGISTRATION, order.order, rule_set))
    has = DOCUMENT_RANK.get(birth.document_kind or "none", 0)
    if has >= DOCUMENT_RANK[rule.document]:
        return Verdict(
            True,
            rule_set.id,
            rule.document,
            _say(_HAS_DOCUMENT, order.order, rule_set, rule.document),
        )
    return Verdict(
        False,
        rule_set.id,
        rule.document,
        _say(_MISSING_DOCUMENT, order.order, rule_set, rule.document),
    )
