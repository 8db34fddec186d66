from __future__ import annotations

import pytest

from fpdesk.core import i18n
from fpdesk.core.i18n import Text


def test_text_follows_the_chosen_language(monkeypatch: pytest.MonkeyPatch) -> None:
    text = Text("已保存 {n} 条", "Saved {n}").format(n=3)
    i18n.set_language("zh")
    try:
        assert str(text) == "已保存 3 条"
        i18n.set_language("en")
        assert str(text) == "Saved 3"
    finally:
        i18n.set_language(None)


def test_language_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FPDESK_LANG", raising=False)
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert i18n.current_language() == "zh"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert i18n.current_language() == "en"
    monkeypatch.setenv("FPDESK_LANG", "zh")
    assert i18n.current_language() == "zh"
    with pytest.raises(ValueError):
        i18n.set_language("fr")
