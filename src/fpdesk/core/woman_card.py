"""The woman of childbearing age card (育龄妇女信息卡): when a woman is on it, and why.

The card is not stored: it is read from persons, marriages and events each time
(store.woman_card), so it can never drift from them.  This module holds the rules:
a woman is on the card from 15 to 49 while she lives in the register's area, and
leaves it at 50, at death, or when she moves out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fpdesk.core.dates import add_years
from fpdesk.core.i18n import Text

FEMALE = 2
AGE_FROM = 15
AGE_TO = 49  # a woman leaves the card on her 50th birthday

REASONS: dict[str, Text] = {
    "reached_15": Text("年满 15 周岁", "turned 15"),
    "moved_in": Text("迁入", "moved in"),
    "aged_out": Text("年满 50 周岁", "turned 50"),
    "died": Text("死亡", "died"),
    "moved_out": Text("迁出", "moved out"),
    # A floating-in woman's card where she lives (流入人口) opens and closes with her
    # 流入 and 离开.
    "floated_in": Text("流入", "floated in"),
    "left": Text("离开", "left"),
    "too_young": Text("未满 15 周岁", "not yet 15"),
    "not_a_woman": Text("不是女性", "not a woman"),
}


@dataclass(frozen=True)
class CardStatus:
    on_card: bool
    entered_on: dt.date | None
    entered: str | None  # a key of REASONS
    left_on: dt.date | None
    left: str | None  # a key of REASONS, also why a woman is not (yet) on the card

    @property
    def entered_text(self) -> Text | None:
        return REASONS[self.entered] if self.entered else None

    @property
    def left_text(self) -> Text | None:
        return REASONS[self.left] if self.left else None


def card_status(
    *,
    sex: int,
    birth_date: dt.date,
    on: dt.date,
    death_date: dt.date | None = None,
    moved_in_on: dt.date | None = None,
    moved_out_on: dt.date | None = None,
) -> CardStatus:
    """Whether a person is on the card on `on`, since when and why; or why she left."""
    if sex != FEMALE:
        return CardStatus(False, None, None, None, "not_a_woman")
    turned_15 = add_years(birth_date, AGE_FROM)
    if on < turned_15:
        return CardStatus(False, None, None, None, "too_young")
    entered_on, entered = turned_15, "reached_15"
    if moved_in_on is not None and turned_15 < moved_in_on <= on:
        entered_on, entered = moved_in_on, "moved_in"
    exits = [
        (add_years(birth_date, AGE_TO + 1), "aged_out"),
        (death_date, "died"),
        # a move out before the (latest) move in is an old one: she has come back
        (moved_out_on if moved_out_on and moved_out_on >= entered_on else None, "moved_out"),
    ]
    happened = sorted((day, why) for day, why in exits if day is not None and day <= on)
    if happened:
        left_on, left = happened[0]
        return CardStatus(False, entered_on, entered, left_on, left)
    return CardStatus(True, entered_on, entered, None, None)
