"""The recovery sheet: the register's recovery key as text and QR code, for the safe.

It is printed once, when the register is turned over to accounts (or the key is
replaced); whoever holds it can set a new passphrase for any account, so the file is
meant to be printed and deleted, never kept on the laptop.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from fpdesk.reports.pdf.fonts import find_font

TITLE = "fpdesk 登记册恢复密钥 / Register recovery key"
LINES = (
    "忘记口令时，用这个恢复密钥为账户设置新口令：fpdesk users passwd --recovery-key。",
    "Forgotten passphrase: this key sets a new one (fpdesk users passwd --recovery-key).",
    "请锁在办公室保险柜里，不要拍照、不要存在电脑上；打印后删除这个 PDF 文件。",
    "Keep it locked in the office safe; no photos, no copy on the computer; delete this",
    "PDF once printed. Anyone holding this sheet can open the register.",
)


def write_recovery_sheet(
    path: str | os.PathLike[str],
    recovery_key: str,
    *,
    register_name: str,
    area_code: str,
    made_on: dt.date | None = None,
    font: str | os.PathLike[str] | None = None,
) -> Path:
    target = Path(path)
    face = find_font(font).name
    height = A4[1]
    sheet = canvas.Canvas(str(target), pagesize=A4)
    sheet.setTitle(TITLE)
    y = height - 2.5 * cm
    sheet.setFont(face, 16)
    sheet.drawString(2 * cm, y, TITLE)
    sheet.setFont(face, 10.5)
    y -= 1.2 * cm
    facts = (
        f"登记册 / Register: {register_name}",
        f"区划代码 / Area code: {area_code}",
        f"日期 / Date: {(made_on or dt.date.today()).isoformat()}",
    )
    for line in facts:
        sheet.drawString(2 * cm, y, line)
        y -= 0.6 * cm
    y -= 0.6 * cm
    sheet.setFont("Courier-Bold", 22)
    sheet.drawString(2 * cm, y, recovery_key)
    y -= 0.6 * cm
    size = 6 * cm
    qr = QrCodeWidget(recovery_key, barLevel="M")
    x0, y0, x1, y1 = qr.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, sheet, 2 * cm, y - size)
    y -= size + 1 * cm
    sheet.setFont(face, 10.5)
    for line in LINES:
        sheet.drawString(2 * cm, y, line)
        y -= 0.6 * cm
    sheet.showPage()
    sheet.save()
    return target
