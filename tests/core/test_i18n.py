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


def test_chinese_whatever_the_system_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FPDESK_LANG", raising=False)
    for locale in ("C.UTF-8", "en_US.UTF-8", "English_United States.1252", "zh_CN.UTF-8"):
        monkeypatch.setenv("LC_ALL", locale)
        monkeypatch.setenv("LANG", locale)
        assert i18n.current_language() == "zh"


def test_english_only_when_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("FPDESK_LANG", "en")
    assert i18n.current_language() == "en"
    monkeypatch.setenv("FPDESK_LANG", "zh")
    assert i18n.current_language() == "zh"
    monkeypatch.setenv("FPDESK_LANG", "fr")  # a typo is not a choice of English
    assert i18n.current_language() == "zh"
    with pytest.raises(ValueError):
        i18n.set_language("fr")
