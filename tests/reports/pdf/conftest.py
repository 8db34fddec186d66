"""A small village with everything the printouts show, and readers for the PDFs made.

The PDFs are read back with poppler (pdftotext, pdffonts), the same tools a clerk's
viewer relies on; the tests skip with a plain reason where poppler is missing.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.core.idnumber import make
from fpdesk.reports.pdf.layout import PrintOptions
from fpdesk.store import records
from fpdesk.store.db import Register
from tests.conftest import TOWNSHIP, VILLAGE

TODAY = dt.date(2026, 11, 28)
LONG_ADDRESS = (
    "广西壮族自治区南宁市兴宁区三塘镇那况村第二村民小组那况屯东头老水井旁边第三条巷子"
    "进去左手边第七户（门口有两棵龙眼树，院子里养了三条狗）二层红砖房"
)
LONG_NAME = "欧阳娜娜木兰提古丽阿依古丽"


@dataclass
class Village:
    """Ids of the people the tests look for."""

    wife: str
    wife_id_number: str
    husband: str
    husband_id_number: str
    child: str
    long_household: str
    households: int
    persons: int


def _person(
    reg: Register, household: str, name: str, sex: int, born: dt.date, seq: int, **extra: object
) -> tuple[str, str]:
    number = make("450102", born, seq * 2 + (1 if sex == 1 else 0))
    pid = records.insert(
        reg,
        "person",
        {
            "household_id": household,
            "name": name,
            "sex": sex,
            "birth_date": born.isoformat(),
            "id_number": number,
            **extra,
        },
    )
    return pid, number


def populate(reg: Register) -> Village:
    with reg.transaction() as conn:
        conn.execute(
            "INSERT INTO area_unit (code, parent_code, level, name) VALUES "
            "(?, ?, 'township', '三塘镇'), (?, ?, 'village', '那况村')",
            (TOWNSHIP, TOWNSHIP[:6] + "000000", VILLAGE, TOWNSHIP),
        )
        # Household 1 (group 01): a couple, a child born this month, an IUD, visits due.
        h1 = records.insert(
            reg,
            "household",
            {
                "code": f"{VILLAGE}010001",
                "village_code": VILLAGE,
                "group_no": "01",
                "address": "那况屯 12 号",
                "phone": "13800000001",
            },
        )
        husband, husband_no = _person(
            reg, h1, "黄建国", 1, dt.date(1990, 3, 1), 1, marital_status=21, relationship=0
        )
        wife, wife_no = _person(
            reg, h1, "李秀英", 2, dt.date(1994, 6, 15), 2, marital_status=21, relationship=1
        )
        child, _ = _person(reg, h1, "黄小花", 2, dt.date(2026, 11, 3), 3, relationship=3)
        records.update(reg, "household", h1, {"head_id": husband})
        marriage = records.insert(
            reg, "marriage", {"wife_id": wife, "husband_id": husband, "married_on": "2018-05-01"}
        )
        preg = records.insert(
            reg,
            "pregnancy",
            {
                "woman_id": wife,
                "marriage_id": marriage,
                "registered_on": "2026-03-10",
                "expected_on": "2026-11-20",
                "outcome": "live_birth",
                "outcome_on": "2026-11-03",
            },
        )
        records.insert(
            reg,
            "birth",
            {
                "pregnancy_id": preg,
                "mother_id": wife,
                "father_id": husband,
                "marriage_id": marriage,
                "child_id": child,
                "birth_date": "2026-11-03",
                "sex": 2,
                "weight_g": 3200,
                "place": "hospital",
                "document_kind": "registration",
            },
        )
        records.insert(
            reg,
            "birth",
            {
                "mother_id": wife,
                "father_id": husband,
                "marriage_id": marriage,
                "birth_date": "2020-02-02",
                "sex": 1,
                "weight_g": 3400,
                "place": "hospital",
            },
        )
        records.insert(
            reg,
            "contraception",
            {
                "woman_id": wife,
                "method": "iud",
                "started_on": "2021-01-05",
                "ended_on": "2026-02-20",
                "end_reason": "wants_child",
                "provider": "乡镇卫生院",
            },
        )
        records.insert(
            reg,
            "visit",
            {
                "person_id": wife,
                "visit_type": "gyn_exam",
                "visited_on": "2025-09-01",
                "visited_by": "王干部",
                "result": "正常",
            },
        )
        records.insert(
            reg,
            "certificate",
            {
                "woman_id": wife,
                "marriage_id": marriage,
                "kind": "birth_service_registration",
                "number": "GX2026-0001",
                "issued_on": "2026-03-12",
            },
        )
        # Household 2 (group 02): the long name and the long address; she moved in.
        h2 = records.insert(
            reg,
            "household",
            {
                "code": f"{VILLAGE}020001",
                "village_code": VILLAGE,
                "group_no": "02",
                "address": LONG_ADDRESS,
            },
        )
        woman2, _ = _person(
            reg,
            h2,
            LONG_NAME,
            2,
            dt.date(1988, 1, 9),
            4,
            marital_status=20,
            relationship=0,
            residence_status="in",
            residence_place="新疆维吾尔自治区喀什地区疏附县",
        )
        records.update(reg, "household", h2, {"head_id": woman2})
        records.insert(
            reg,
            "marriage",
            {
                "wife_id": woman2,
                "outside_spouse_name": "艾力",
                "married_on": "2012-10-01",
                "outside_spouse_id_number": make("653121", dt.date(1985, 5, 5), 11),
            },
        )
        records.insert(
            reg,
            "move",
            {
                "person_id": woman2,
                "kind": "float_in",
                "moved_on": "2026-11-10",
                "place": "新疆喀什",
            },
        )
        records.insert(
            reg,
            "contraception",
            {
                "woman_id": woman2,
                "method": "implant",
                "started_on": "2026-11-12",
                "provider": "县妇幼保健院",
            },
        )
        # An old man who died this month, and a girl of 14 (not yet a card).
        _person(
            reg,
            h2,
            "张老汉",
            1,
            dt.date(1940, 1, 1),
            5,
            relationship=5,
            marital_status=30,
            death_date="2026-11-05",
        )
        _person(reg, h2, "张妹", 2, dt.date(2012, 8, 8), 6, relationship=3)
    return Village(
        wife=wife,
        wife_id_number=wife_no,
        husband=husband,
        husband_id_number=husband_no,
        child=child,
        long_household=h2,
        households=2,
        persons=6,
    )


@pytest.fixture
def village(register: Register) -> Village:
    return populate(register)


@pytest.fixture
def options() -> PrintOptions:
    return PrintOptions(clock=FixedClock(TODAY), language="zh")


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def pdf_text(path: Path, mode: str = "-raw") -> str:
    """The text of the PDF in drawing order (cell by cell), pages separated by form feeds;
    mode "-layout" keeps each printed line on one line.  Skips where poppler is missing
    (Windows)."""
    return _run(_need("pdftotext"), mode, str(path), "-")


def _run(*args: str) -> str:
    """A poppler tool's output, which is UTF-8 whatever the system's code page."""
    return subprocess.run(args, check=True, capture_output=True, encoding="utf-8").stdout


def flat(text: str) -> str:
    """Text with all white space removed: wrapped cells read as one string again."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(path: Path) -> list[dict[str, str]]:
    out = _run(_need("pdffonts"), str(path)).splitlines()
    rows = []
    for line in out[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object-id gen: read from the right.
        rows.append({"name": parts[0], "emb": parts[-5], "type": " ".join(parts[1:-6])})
    return rows


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    page_width: float
    page_height: float


def pdf_words(path: Path) -> list[Word]:
    """Every word with its box, from pdftotext -bbox (points, origin top left)."""
    html = _run(_need("pdftotext"), "-bbox", str(path), "-")
    words: list[Word] = []
    page_re = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
    word_re = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
        r'yMax="([\d.]+)">(.*?)</word>'
    )
    for number, chunk in enumerate(html.split("<page ")[1:], start=1):
        size = page_re.search("<page " + chunk)
        assert size is not None
        width, height = float(size.group(1)), float(size.group(2))
        for m in word_re.finditer(chunk):
            words.append(
                Word(
                    number,
                    m.group(5),
                    float(m.group(1)),
                    float(m.group(2)),
                    float(m.group(3)),
                    float(m.group(4)),
                    width,
                    height,
                )
            )
    return words


def page_count(path: Path) -> int:
    return pdf_text(path).count("\f")


RECEIPT_ROWS = [
    {
        "file_name": "450102001201-000001-000120.fpbundle",
        "village": "那况村",
        "status": "accepted",
        "counts": {"changes": 120, "applied": 118, "conflicts": 2},
    },
    {
        "file_name": "450102001202-000001-000050.fpbundle",
        "village": "六塘村",
        "status": "gap",
        "counts": {"changes": 50},
        "reason": "缺少第 30-39 号变更，等待补交",
    },
    {
        "file_name": "坏文件.fpbundle",
        "village": "",
        "status": "refused",
        "reason": "签名不对：设备未登记",
    },
]


def due_visits(reg: Register, on: dt.date = TODAY) -> list[object]:
    """A due list as store.due gives it (core.schedules.DueVisit), for every woman 15+."""
    from fpdesk.core.schedules import DueVisit

    women = reg.query(
        "SELECT id FROM person WHERE sex = 2 AND birth_date < '2011-01-01' ORDER BY birth_date DESC"
    )
    due = [DueVisit(w["id"], "gyn_exam", on - dt.timedelta(days=20), None, None, 20) for w in women]
    due.append(DueVisit(women[0]["id"], "postnatal", on, "birth", None, 0))
    return due


def print_all(reg: Register, folder: Path, options: PrintOptions) -> dict[str, Path]:
    """Every kind of printout of the test village, keyed by kind."""
    from fpdesk.core.periods import month_period
    from fpdesk.reports.pdf.cards import print_cards
    from fpdesk.reports.pdf.changes import print_changes
    from fpdesk.reports.pdf.households import print_households
    from fpdesk.reports.pdf.receipt import print_receipt
    from fpdesk.reports.pdf.rounds import print_rounds

    paths = {
        kind: folder / f"{kind}.pdf"
        for kind in ("households", "compact", "cards", "changes", "rounds", "receipt")
    }
    print_households(reg, VILLAGE, paths["households"], options=options)
    print_households(reg, VILLAGE, paths["compact"], per_page=False, options=options)
    print_cards(reg, VILLAGE, paths["cards"], options=options)
    print_changes(reg, VILLAGE, paths["changes"], period=month_period(2026, 11), options=options)
    print_rounds(reg, VILLAGE, paths["rounds"], due=due_visits(reg), options=options)
    print_receipt(RECEIPT_ROWS, paths["receipt"], township="三塘镇", options=options)
    return paths
