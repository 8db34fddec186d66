"""The record of processing in words: the stored JSON keeps codes, the window shows them
in the officer's language."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QApplication

from fpdesk.gui import audit_text, i18n
from fpdesk.gui.accounts_dialog import AuditLogDialog
from fpdesk.store import access_log


def test_details_read_in_chinese(qtbot, register) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    access_log.record(
        register, "print", {"kind": "households", "file": "450102001201-households.pdf"}
    )
    access_log.record(register, "accounts", {"added": "李专干", "role": "officer",
                                             "area_code": "450102001201"})
    access_log.record(register, "report", {"command": "indicators", "step": None})
    access_log.record(register, "warning_confirmed", {"warning": "birth_during_method",
                                                      "choice": "end", "method": "iud",
                                                      "woman_id": "x", "contraception_id": "y"})
    stored = [row["detail"] for row in access_log.read(register)]
    assert stored[1]["role"] == "officer"  # codes are what is kept
    try:
        i18n.install(app, "zh")
        from fpdesk.core.i18n import set_language

        set_language("zh")
        texts = [audit_text.describe(detail) for detail in stored]
        dialog = AuditLogDialog(register)
        qtbot.addWidget(dialog)
        shown = [dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())]
    finally:
        i18n.install(app, "en")
    assert texts[0] == "打印件：户籍登记册；文件：450102001201-households.pdf"
    assert texts[1] == "添加账户：李专干；身份：村计生专干；区划代码：450102001201"
    assert texts[2] == "命令：指标"
    assert "已结束该节育措施" in texts[3] and "宫内节育器" in texts[3] and "x" not in texts[3]
    for text in shown:
        without_files = re.sub(r"\S+\.pdf", "", text)
        assert not re.search(r"[A-Za-z]{2,}", without_files), text
        assert "{" not in text
