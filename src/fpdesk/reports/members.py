"""Who is behind a number: the persons an indicator counts, each with the event that put
them there.

One function, `counted`, makes the list for the command line (`indicators --members`),
the dashboard's drill-down and its printout, and the 名单 sheets of a workbook, so the
three never disagree.  A list has exactly one line per counted record (a birth, a woman,
a follow-up due, a birth an audit found, a village), so its length is the number it
explains.  Each line names a person the way an officer checks a number against the
paper book: name, ID number (masked, as every list shows it), village, household code,
and what happened on which day.

The records counted are the indicator engine's (reports.indicators); this module only
looks up what to show for them.  Its lookups are by record id, so the area a list can
reach is the area of the report it explains, which the session must be allowed to see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fpdesk.core import codes, schedules
from fpdesk.core.i18n import Text
from fpdesk.core.idnumber import mask_id_number
from fpdesk.reports import indicators as ind
from fpdesk.reports.indicators.sqlite import Readable
from fpdesk.store import access

WHICH = ("numerator", "denominator")
PART_NAMES = {"numerator": Text("分子", "numerator"), "denominator": Text("分母", "denominator")}

# Column headings of a printed or exported list, in order (the keys of `Counted.row`).
COLUMNS: tuple[tuple[str, Text], ...] = (
    ("name", Text("姓名", "Name")),
    ("id_number", Text("身份证号", "ID number")),
    ("village", Text("村（居）", "Village")),
    ("household", Text("户编码", "Household")),
    ("event", Text("计入事项", "Counted for")),
    ("date", Text("日期", "Date")),
)

WIDER = Text(
    "名单只能包含 {own} 范围内的人员，不能包含整个 {other}。",
    "A list may hold persons in {own} only, not in the whole of {other}.",
)

_SEX = {1: Text("男", "boy"), 2: Text("女", "girl")}


@dataclass(frozen=True)
class Counted:
    """One line of the list behind a number."""

    record_id: str  # what the engine counted: a birth, a woman, a follow-up, a village
    name: str
    id_number: str  # masked
    village_code: str
    village: str
    household: str
    event: Text
    date: str

    def row(self, language: str) -> dict[str, str]:
        """The line as shown: one value per `COLUMNS` key."""
        return {
            "name": self.name,
            "id_number": self.id_number,
            "village": self.village,
            "household": self.household,
            "event": self.event.get(language),
            "date": self.date,
        }

    def to_data(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "id_number": self.id_number,
            "village": self.village,
            "village_code": self.village_code,
            "household": self.household,
            "event": self.event.zh,
            "event_en": self.event.en,
            "date": self.date,
            "record_id": self.record_id,
        }


def counted(
    where: Readable, report: ind.IndicatorReport, key: str, which: str = "numerator"
) -> list[Counted]:
    """The persons (or villages) counted in one indicator's numerator or denominator,
    one line per counted record, in the order of village, household and name: from a
    register, or any store the report was counted from (the district hub's HubSource)."""
    if which not in WHICH:
        raise ValueError(f"which must be one of {WHICH}, not {which!r}")
    source = ind.as_source(where)
    for code in report.areas:
        _require_inside(source, code)  # a list never reaches past the session's area
    result = report.result(key)
    ids = result.numerator_ids if which == "numerator" else result.denominator_ids
    maker = _MAKERS.get(result.member_kind)
    if maker is None:
        raise ValueError(f"unknown member kind {result.member_kind!r}")
    asked = _Asked(source, report, key, which, list(ids))
    lines = maker(asked)
    return sorted(lines, key=lambda c: (c.village_code, c.household, c.name, c.date, c.record_id))


def _require_inside(source: ind.IndicatorSource, code: str) -> None:
    """Refuse a list of an area the session may not see whole: one elsewhere is refused
    by the source itself, a wider one (which a report would narrow) here."""
    own = source.scope(code)
    if own != code:
        raise access.AccessDenied(WIDER.format(own=own, other=code))


def as_data(lines: Sequence[Counted]) -> list[dict[str, Any]]:
    return [line.to_data() for line in lines]


# ------------------------------------------------------------------ by kind of record


@dataclass(frozen=True)
class _Asked:
    """What a list is made for: one part of one indicator of one report."""

    source: ind.IndicatorSource
    report: ind.IndicatorReport
    key: str
    which: str
    ids: list[str]

    def fields(
        self,
    ) -> tuple[ind.IndicatorSource, ind.IndicatorReport, str, str, list[str]]:
        return self.source, self.report, self.key, self.which, self.ids

    def names(self, rows: Iterable[dict[str, Any]]) -> dict[str, str]:
        """Village code -> name of the villages these rows lie in."""
        return self.source.area_names(sorted({str(row["village_code"]) for row in rows}))


_Maker = Callable[[_Asked], list[Counted]]


def _births(asked: _Asked) -> list[Counted]:
    """A birth is listed under its mother (the child rarely has an ID number yet)."""
    source, _report, key, which, ids = asked.fields()
    rows = source.lookup("births", ids)
    names = asked.names(rows)
    visited = key == "postnatal_rate" and which == "numerator"
    visits = _postnatal_visits(source, rows) if visited else {}
    out = []
    for row in rows:
        sex = _SEX.get(int(row["sex"]), Text("?", "?"))
        kind = _birth_event(key, which)
        event = Text(kind.zh.format(sex=sex.zh), kind.en.format(sex=sex.en))
        day = row["birth_date"]
        if row["id"] in visits:
            event, day = Text("产后访视", "postnatal visit"), visits[row["id"]]
        out.append(_line(row, names, event, day))
    return out


def _birth_event(key: str, which: str) -> Text:
    if which == "numerator":
        special = {
            "policy_compliant_rate": Text(
                "符合政策生育（{sex}）", "policy-compliant birth ({sex})"
            ),
            "out_of_policy_multiple_rate": Text(
                "政策外多孩生育（{sex}）", "out-of-policy third or later birth ({sex})"
            ),
            "second_birth_sex_ratio": Text("生育二孩（{sex}）", "second birth ({sex})"),
        }.get(key)
        if special is not None:
            return special
    if key == "second_birth_sex_ratio":
        return Text("生育二孩（{sex}）", "second birth ({sex})")
    return Text("生育（{sex}）", "birth ({sex})")


def _postnatal_visits(source: ind.IndicatorSource, births: list[dict[str, Any]]) -> dict[str, str]:
    """The first accepted postnatal visit to each birth's mother on or after the birth."""
    accepted = schedules.schedules().postnatal.satisfied_by
    days: dict[str, list[str]] = {}
    for visit in source.lookup("visits", sorted({b["mother_id"] for b in births})):
        if visit["visit_type"] in accepted:
            days.setdefault(visit["person_id"], []).append(str(visit["visited_on"]))
    out: dict[str, str] = {}
    for birth in births:
        after = [d for d in days.get(birth["mother_id"], ()) if d >= birth["birth_date"]]
        if after:
            out[birth["id"]] = min(after)
    return out


def _women(asked: _Asked) -> list[Counted]:
    """A woman is listed with what counts her: her method, her exam, or her marriage."""
    source, report, key, which, ids = asked.fields()
    rows = source.lookup("persons", ids)
    names = asked.names(rows)
    end, start = report.period.end_iso, report.period.start_iso
    by_method = (which == "numerator" and key != "gyn_exam_rate") or key == "drugs_devices_share"
    if by_method:
        held = _methods_held(source, ids, end)
    elif key == "gyn_exam_rate" and which == "numerator":
        exams = _first_visits(source, ids, "gyn_exam", start, end)
    else:
        married = _marriages(source, ids, end)
    out = []
    for row in rows:
        if by_method and row["id"] in held:
            method, since = held[row["id"]]
            label = codes.method(method).label
            event = Text(f"采取节育措施：{label.zh}", f"contraception: {label.en}")
            out.append(_line(row, names, event, since))
        elif key == "gyn_exam_rate" and which == "numerator":
            event = Text("妇科检查", "gynecological exam")
            out.append(_line(row, names, event, exams.get(row["id"], "")))
        elif not by_method and row["id"] in married:
            event = Text("已婚育龄妇女（结婚）", "married woman 15-49 (married)")
            out.append(_line(row, names, event, married[row["id"]]))
        else:
            event = Text("育龄妇女（出生）", "woman 15-49 (born)")
            out.append(_line(row, names, event, row["birth_date"]))
    return out


def _methods_held(
    source: ind.IndicatorSource, women: list[str], end: str
) -> dict[str, tuple[str, str]]:
    """The method each woman uses on `end` (the most effective, as the engine counts;
    of two as effective, the one started first)."""
    rank = {"long": 3, "short": 2, "other": 1}
    out: dict[str, tuple[str, str]] = {}
    best: dict[str, int] = {}
    rows = source.lookup("methods_held", women, (end, end))
    for row in sorted(rows, key=lambda r: (r["started_on"], r["id"])):
        method = codes.method(row["method"])
        group = "long" if method.long_acting else ("short" if method.drugs_devices else "other")
        if rank[group] > best.get(row["woman_id"], 0):
            best[row["woman_id"]] = rank[group]
            out[row["woman_id"]] = (row["method"], row["started_on"])
    return out


def _marriages(source: ind.IndicatorSource, women: list[str], end: str) -> dict[str, str]:
    """The day each woman's marriage going on at `end` began (the latest, if several)."""
    rows = source.lookup("marriages_on", women, (end, end))
    return {
        row["wife_id"]: row["married_on"]
        for row in sorted(rows, key=lambda r: (r["married_on"], r["id"]))
    }


def _first_visits(
    source: ind.IndicatorSource, persons: list[str], kind: str, start: str, end: str
) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in source.lookup("visits_between", persons, (kind, start, end)):
        day = out.get(row["person_id"])
        if day is None or row["visited_on"] < day:
            out[row["person_id"]] = row["visited_on"]
    return out


def _followups(asked: _Asked) -> list[Counted]:
    """A follow-up due is listed under the woman, with the operation and the due day."""
    source, _report, _key, which, ids = asked.fields()
    due: dict[str, list[str]] = {}
    for item in ids:
        operation, day = item.split("@")
        due.setdefault(operation, []).append(day)
    rows = source.lookup("operations", list(due))
    names = asked.names(rows)
    done = which == "numerator"
    out = []
    for row in rows:
        label = codes.method(row["method"]).label
        event = (
            Text(f"{label.zh}术后随访（已随访）", f"follow-up after {label.en} (done)")
            if done
            else Text(f"{label.zh}术后随访到期", f"follow-up after {label.en} due")
        )
        for day in sorted(due[row["id"]]):
            out.append(_line(dict(row, id=f"{row['id']}@{day}"), names, event, day))
    return out


def _audits(asked: _Asked) -> list[Counted]:
    """Each birth an audit visit found is listed under the household's head."""
    source, _report, _key, _which, ids = asked.fields()
    findings = source.lookup("audit_findings", sorted({item.split("#")[0] for item in ids}))
    names = asked.names(findings)
    by_id = {row["id"]: row for row in findings}
    out = []
    for item in ids:
        finding, n = item.split("#")
        row = by_id.get(finding)
        if row is None:
            continue
        event = Text(
            f"入户核查：核实出生第 {n} 个（共 {row['births_found']} 个）",
            f"audit visit: birth {n} of {row['births_found']} found",
        )
        out.append(
            _line(dict(row, id=item, name=row["name"] or ""), names, event, row["visited_on"])
        )
    return out


def _villages(asked: _Asked) -> list[Counted]:
    source, report, key, which, ids = asked.fields()
    names = source.area_names(ids)
    label = report.result(key).label
    event = label if which == "numerator" else Text("参加考核的村（居）", "village assessed")
    return [
        Counted(code, names.get(code, code), "", code, names.get(code, code), "", event, "")
        for code in ids
    ]


_MAKERS: dict[str, _Maker] = {
    "birth": _births,
    "person": _women,
    "followup": _followups,
    "audit": _audits,
    "area": _villages,
}


# ------------------------------------------------------------------------ helpers


def _line(row: dict[str, Any], names: dict[str, str], event: Text, day: str) -> Counted:
    village = str(row["village_code"])
    return Counted(
        record_id=str(row["id"]),
        name=str(row["name"]),
        id_number=mask_id_number(row.get("id_number")),
        village_code=village,
        village=names.get(village, village),
        household=str(row["household"]),
        event=event,
        date=str(day or ""),
    )
