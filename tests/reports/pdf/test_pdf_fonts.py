"""Choosing the Chinese font: explicit, environment, setting file, the usual places."""

from __future__ import annotations

from pathlib import Path

import pytest

from fpdesk.reports.pdf import fonts
from fpdesk.reports.pdf.fonts import FONT_ENV, FontError, find_font

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv(FONT_ENV, raising=False)
    setting = tmp_path / "settings" / "print.json"
    monkeypatch.setattr(fonts, "setting_path", lambda: setting)
    return setting


def _installed() -> str:
    if not Path(WQY).is_file():
        pytest.skip("WenQuanYi Micro Hei is not installed (apt-get install fonts-wqy-microhei)")
    return WQY


def test_the_usual_places_are_searched() -> None:
    font = find_font()
    assert font.path.is_file()
    assert font.name.startswith("fpdesk-cjk-")


def test_an_explicit_font_and_a_face_of_a_collection() -> None:
    path = _installed()
    font = find_font(f"{path}#1")  # WenQuanYi Micro Hei Mono, the second face
    assert font.face == 1 and font.path == Path(path)
    assert find_font(f"{path}#1").name == font.name  # registered once, same name


def test_the_environment_and_the_setting_file_choose(
    monkeypatch: pytest.MonkeyPatch, _no_user_settings: Path
) -> None:
    path = _installed()
    fonts.save_font(path + "#1")
    assert fonts.saved_font() == path + "#1"
    assert find_font().face == 1
    monkeypatch.setenv(FONT_ENV, path)
    assert find_font().face == 0  # the environment wins over the setting file
    fonts.save_font(None)
    assert fonts.saved_font() is None


def test_a_missing_font_file_is_named_in_both_languages(tmp_path: Path) -> None:
    with pytest.raises(FontError) as caught:
        find_font(tmp_path / "simsun.ttc")
    assert "字体文件不存在" in caught.value.text.zh
    assert "does not exist" in caught.value.text.en and "simsun.ttc" in caught.value.text.en


def test_a_file_that_is_not_a_truetype_font_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"OTTO" + b"\0" * 200)  # an OpenType/CFF signature, nothing more
    with pytest.raises(FontError) as caught:
        find_font(fake)
    assert "不能嵌入" in caught.value.text.zh and "cannot be embedded" in caught.value.text.en


def test_a_latin_only_font_is_refused() -> None:
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    if not vera.is_file():
        pytest.skip("reportlab ships no Vera.ttf here")
    with pytest.raises(FontError) as caught:
        find_font(vera)
    assert "没有中文字形" in caught.value.text.zh


def test_no_font_anywhere_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "candidates", lambda: ["/nonexistent/simsun.ttc"])
    with pytest.raises(FontError) as caught:
        find_font()
    assert caught.value.text == fonts.NO_FONT
    assert "fonts-wqy-microhei" in caught.value.text.zh and "--font" in caught.value.text.en
