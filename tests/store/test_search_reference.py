"""store.search against the plain version it replaced, on many queries over a demo register.

search() is written for speed: one statement per keystroke, the kinds of key asked for
together, the hits read as tuples.  The version below (as it was before: one query per
kind of key in rank order until the limit is full, the runs of characters inside a
name kept in Python, the result rows read as dicts) says what it must give: the same
hits, in the same order, for the same reasons, with the same scores and fields.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fpdesk import demo
from fpdesk.core import pinyin
from fpdesk.core.idnumber import mask_id_number
from fpdesk.store import records, search
from fpdesk.store.db import Register, open_register
from fpdesk.store.search import CARD, HOUSEHOLD_BAND, INDEX, MAX_NAME, Hit, plan
from tests.conftest import PASSPHRASE

# ---- the reference: store.search's _find and _hits as they were ----------------------

_BAND_SHIFT = 40
_ROW_MASK = (1 << _BAND_SHIFT) - 1
_RANK = {key: position for position, key in enumerate(search.KINDS)}
_CHARS = re.compile(r'"c([^"]+)"')


def reference_search(
    register: Register, text: str, *, limit: int = 20, village_code: str | None = None
) -> list[Hit]:
    if limit <= 0:
        return []
    return _hits(register, _find(register, reference_plan(text), limit, village_code))


def reference_plan(text: str) -> list[tuple[str, str]]:
    """search.plan, but digits ask for every kind of number, as they always did (plan
    leaves out kinds that can find nothing new)."""
    number = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text).strip()).lower()
    if not re.match(r"^\d+x?$", number):
        return plan(text)
    backwards = number[::-1]
    steps: list[tuple[str, str]] = []
    if len(number) >= 15:
        steps.append(("id_number", _phrase("d" + number)))
    if len(number) == 18:
        steps.append(("household_code", _phrase("h" + number)))
    return [
        *steps,
        ("id_tail", _phrase("r" + backwards) + "*"),
        ("household_tail", _phrase("e" + backwards) + "*"),
        ("id_start", _phrase("d" + number) + "*"),
        ("household_start", _phrase("h" + number) + "*"),
    ]


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _find(
    register: Register, steps: list[tuple[str, str]], limit: int, village_code: str | None
) -> dict[int, str]:
    found: dict[int, str] = {}
    for kind, expression in steps:
        if village_code:
            expression = f"({expression}) AND {_phrase('v' + village_code)}"
        if kind == "name_part" and len(_CHARS.findall(expression)) > 1:
            rows: Iterable[tuple[int]] = _runs(register, expression)
        else:
            rows = register.conn.execute(
                f"SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ? ORDER BY rowid LIMIT ?",
                (expression, limit + len(found)),
            )
        for (rowid,) in rows:
            found.setdefault(rowid, kind)
            if len(found) == limit:
                break
        if len(found) == limit:
            break
    return found


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _runs(register: Register, expression: str) -> Iterator[tuple[int]]:
    run = _fold("".join(_CHARS.findall(expression)))
    rows = register.conn.execute(
        f"SELECT m.rowid, (SELECT name FROM {CARD} WHERE rowid = m.rowid) FROM {INDEX} m "
        f"WHERE {INDEX} MATCH ? ORDER BY m.rowid",
        (expression,),
    )
    for rowid, name in rows:
        if name is not None and run in _fold(name[:MAX_NAME]):
            yield (rowid,)


def _hits(register: Register, found: dict[int, str]) -> list[Hit]:
    persons = [r for r in found if r >> _BAND_SHIFT != HOUSEHOLD_BAND]
    households = [r & _ROW_MASK for r in found if r >> _BAND_SHIFT == HOUSEHOLD_BAND]
    details = {
        **_person_details(register, persons),
        **_household_details(register, households),
    }
    hits = []
    for rowid, kind in found.items():
        row = details.get(rowid)
        if row is None:
            continue
        band = rowid >> _BAND_SHIFT
        hits.append(_hit(row, kind, score=1000 - 10 * _RANK[kind] - band))
    return hits


def _in_list(values: Iterable[int]) -> str:
    return ", ".join(str(int(v)) for v in values)


def _person_details(register: Register, rowids: list[int]) -> dict[int, dict[str, Any]]:
    if not rowids:
        return {}
    rows = register.query(
        f"""SELECT c.*, h.code AS household_code, h.group_no, h.address, h.village_code
        FROM {CARD} c LEFT JOIN household h ON h.id = c.household_id
        WHERE c.rowid IN ({_in_list(rowids)})"""
    )
    return {int(row["rowid"]): row for row in rows}


def _household_details(register: Register, rowids: list[int]) -> dict[int, dict[str, Any]]:
    if not rowids:
        return {}
    rows = register.query(
        f"""SELECT h.rowid AS rowid, NULL AS person_id, h.id AS household_id,
            coalesce(head.name, '') AS name, head.sex, head.birth_date,
            head.id_number, 'household' AS status,
            h.code AS household_code, h.group_no, h.address, h.village_code
        FROM household h LEFT JOIN person head ON head.id = h.head_id
        WHERE h.rowid IN ({_in_list(rowids)})"""
    )
    return {int((HOUSEHOLD_BAND << _BAND_SHIFT) + row["rowid"]): row for row in rows}


def _hit(row: dict[str, Any], kind: str, score: int) -> Hit:
    return Hit(
        person_id=row["person_id"],
        household_id=row["household_id"],
        name=row["name"] or "",
        sex=row["sex"],
        birth_date=row["birth_date"],
        id_number_masked=mask_id_number(row["id_number"]),
        household_code=row["household_code"] or "",
        group=row["group_no"] or "",
        address=row["address"] or "",
        village_code=row["village_code"] or "",
        status=row["status"],
        why=kind,
        score=score,
    )


# ---- the comparison ------------------------------------------------------------------


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    """A demo register of 3,000 persons, with a few names the demo never makes."""
    path = Path(tmp_path_factory.mktemp("reference")) / "demo.fpdesk"
    demo.build_demo(path, PASSPHRASE, persons=3000, seed=7, second_process=False)
    register = open_register(path, PASSPHRASE)
    household = register.query("SELECT id FROM household WHERE deleted = 0 LIMIT 1")[0]["id"]
    for name in ("Émile", "Mélie", "阿LI", "李ÉMILE", "买买提·艾力", "张三丰", "李张三", "张三"):
        records.insert(
            register,
            "person",
            {"household_id": household, "name": name, "sex": 1, "birth_date": "1980-01-01"},
        )
    # A household given up (tombstoned) beside live ones: no code's start finds it.
    first = register.query("SELECT code, village_code, group_no FROM household LIMIT 1")[0]
    gone = records.insert(
        register,
        "household",
        {**first, "code": first["code"][:14] + "9999"},
    )
    records.delete(register, "household", gone)
    # ID numbers' starts: persons with an old 15-digit number beside the new one, or
    # instead of it, dead or living elsewhere; a person deleted with a number.
    numbered = register.query(
        "SELECT id, id_number FROM person WHERE deleted = 0 AND id_number IS NOT NULL "
        "ORDER BY rowid LIMIT 4"
    )
    area = numbered[0]["id_number"][:6]
    for n, (name, extra) in enumerate(
        [
            ("旧号甲", {"death_date": "2001-05-01"}),
            ("旧号乙", {"residence_status": "out"}),
            ("旧号丙", {"id_number": numbered[0]["id_number"][:17] + "9"}),
        ]
    ):
        records.insert(
            register,
            "person",
            {
                "household_id": household,
                "name": name,
                "sex": 2,
                "birth_date": "1949-12-31",
                "legacy_id15": f"{area}49123100{n}",
                **extra,
            },
        )
    records.delete(register, "person", numbered[1]["id"])
    records.update(register, "person", numbered[2]["id"], {"death_date": "2020-01-01"})
    records.update(register, "person", numbered[3]["id"], {"residence_status": "out"})
    yield register
    register.close()


def typed_queries(register: Register, count: int, seed: int) -> list[str]:
    """What officers type: names, their parts and runs, pinyin, initials, digits."""
    rng = random.Random(seed)
    people = register.query(
        "SELECT p.name, p.id_number, h.code FROM person p "
        "LEFT JOIN household h ON h.id = p.household_id WHERE p.deleted = 0"
    )
    out: set[str] = {"émile", "EMILE", "li", "张三", "三丰", "阿li", "·艾", "x"}
    for person in rng.sample(people, min(count, len(people))):
        name = person["name"]
        keys = pinyin.name_keys(name)
        out.update(name[:i] for i in range(1, len(name) + 1))
        out.update(name[i:j] for i in range(len(name)) for j in range(i + 1, len(name) + 1))
        out.update(keys.full[:i] for i in range(1, len(keys.full) + 1, 2))
        out.update(keys.initials[:i] for i in range(1, len(keys.initials) + 1))
        out.add(keys.given)
        for number in (person["id_number"], person["code"]):
            if number:
                out.update(number[-i:] for i in (1, 2, 3, 4, 6))
                out.update(number[:i] for i in (4, 6, 7, 9, 12, 14, 17, len(number)))
        if person["id_number"]:
            out.update(person["id_number"][:i] for i in (8, 10))
    return sorted(out)


def number_starts(register: Register, village: str) -> list[str]:
    """The first 7-10 digits of ID numbers, old and new, of a village's persons."""
    numbers = [
        number
        for row in register.query(
            "SELECT p.id_number, p.legacy_id15 FROM person p "
            "JOIN household h ON h.id = p.household_id WHERE h.village_code = ? "
            "ORDER BY p.legacy_id15 IS NULL, p.rowid LIMIT 5",
            [village],
        )
        for number in (row["id_number"], row["legacy_id15"])
        if number
    ]
    return sorted({number[:i] for number in numbers for i in (7, 8, 9, 10)})


def test_the_same_hits_as_the_plain_version(district: Register) -> None:
    queries = typed_queries(district, 120, seed=3)
    assert len(queries) > 1000
    compared = 0
    for text in queries:
        for limit in (1, 7, 50):
            expected = reference_search(district, text, limit=limit)
            assert search.search(district, text, limit=limit) == expected, (text, limit)
            compared += len(expected)
    assert compared > 20000  # the queries did find things


def test_the_same_hits_for_old_and_new_numbers_starts(district: Register) -> None:
    rows = district.query("SELECT id_number, legacy_id15 FROM person WHERE legacy_id15 IS NOT NULL")
    starts = {n[:i] for row in rows for n in row.values() if n for i in (7, 8, 9, 10)}
    for text in sorted(starts):
        for limit in (1, 7, 50):
            expected = reference_search(district, text, limit=limit)
            assert search.search(district, text, limit=limit) == expected, (text, limit)
    legacy = rows[0]["legacy_id15"][:10]  # the old numbers' start: the three found
    old = [hit.name for hit in search.search(district, legacy, limit=50)]
    assert {"旧号甲", "旧号乙", "旧号丙"} <= set(old)


def test_the_same_hits_within_a_village(district: Register) -> None:
    villages = [
        r["village_code"]
        for r in district.query("SELECT DISTINCT village_code FROM household ORDER BY 1 LIMIT 3")
    ]
    # and the village of the persons with old numbers
    villages += [
        r["village_code"]
        for r in district.query(
            "SELECT DISTINCT h.village_code FROM person p JOIN household h "
            "ON h.id = p.household_id WHERE p.legacy_id15 IS NOT NULL"
        )
    ]
    starts = [start for village in villages for start in number_starts(district, village)]
    for text in typed_queries(district, 30, seed=5) + starts:
        for village in villages:
            expected = reference_search(district, text, limit=20, village_code=village)
            got = search.search(district, text, limit=20, village_code=village)
            assert got == expected, (text, village)
