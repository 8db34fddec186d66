"""When a woman is on the childbearing-age card, and why she entered or left it."""

from __future__ import annotations

import datetime as dt

from fpdesk.core.woman_card import card_status

D = dt.date.fromisoformat


def test_on_the_card_from_15_to_49() -> None:
    born = D("2000-03-01")
    assert card_status(sex=2, birth_date=born, on=D("2015-02-28")).left == "too_young"
    status = card_status(sex=2, birth_date=born, on=D("2015-03-01"))
    assert status.on_card and status.entered == "reached_15"
    assert status.entered_on == D("2015-03-01")
    assert status.entered_text is not None and status.entered_text.zh == "年满 15 周岁"
    assert card_status(sex=2, birth_date=born, on=D("2050-02-28")).on_card
    aged = card_status(sex=2, birth_date=born, on=D("2050-03-01"))
    assert not aged.on_card and (aged.left, aged.left_on) == ("aged_out", D("2050-03-01"))
    assert aged.left_text is not None and aged.left_text.en == "turned 50"
    assert card_status(sex=1, birth_date=born, on=D("2020-01-01")).left == "not_a_woman"


def test_death_and_moves() -> None:
    born = D("1990-01-01")
    died = card_status(sex=2, birth_date=born, on=D("2026-01-01"), death_date=D("2025-05-05"))
    assert (died.on_card, died.left, died.left_on) == (False, "died", D("2025-05-05"))
    moved = card_status(sex=2, birth_date=born, on=D("2026-01-01"), moved_out_on=D("2024-01-01"))
    assert (moved.on_card, moved.left) == (False, "moved_out")
    back = card_status(sex=2, birth_date=born, on=D("2026-01-01"), moved_out_on=D("2024-01-01"),
                       moved_in_on=D("2025-01-01"))
    assert back.on_card and (back.entered, back.entered_on) == ("moved_in", D("2025-01-01"))
    # a move out later than the death: the earlier exit is the one that counts
    both = card_status(sex=2, birth_date=born, on=D("2026-01-01"), death_date=D("2025-01-01"),
                       moved_out_on=D("2025-06-01"))
    assert both.left == "died"
