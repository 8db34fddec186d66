"""The synthetic district: a deterministic, realistic register of any size.

`build_demo` makes a new encrypted register holding one made-up county of Guangxi:
townships, villages and village groups in the 12-digit code structure, households of
plausible composition, persons with valid ID numbers, marriages, births (2015-2026 in
detail, earlier ones too so that birth orders come out right), pregnancies in
progress, contraception episodes, supplies, visits (some overdue), moves of every kind
(core.population: 流出 and some 返回, 迁出 on marriage or to study, brides' 迁入, families
floating in and some leaving again) and deaths.

The same seed gives the same register, row for row: every random draw, including the
random part of each UUIDv7 key, comes from one `random.Random(seed)`, and the key
timestamps are a fixed sequence.  Only register_info (created_at) differs.

The register is a township register (store.db knows only village and township roles):
its area code is the first township's, and area_unit lists the whole county, so the
township workspace and the indicators have several townships' worth of data.

The load is one transaction with the change-capture triggers removed (a demo has no
history to send anywhere), so the change log of a fresh demo is empty.

A large district's rows are made by a second process while this one writes them, and
its search index is built there too, in memory, from the rows as they are made (see
_stream and store.search.build_index): making rows, writing them and indexing them
each took a third of the time, and a machine has at least two cores.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import itertools
import os
import pickle
import random
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, cast

from fpdesk.core import area, idnumber
from fpdesk.core.codes import method as method_facts
from fpdesk.core.i18n import Text
from fpdesk.core.schedules import add_months, schedules
from fpdesk.store import capture, search
from fpdesk.store import demo_names as names
from fpdesk.store.db import Register, create_register

MIN_PERSONS = 100
MAX_PERSONS = 1_000_000
REFERENCE_DATE = dt.date(2026, 11, 1)
COUNTY = names.COUNTY[0][:6]

Progress = Callable[[int, int], None]
T = TypeVar("T")
# (township area row, its village area rows, persons per village)
Township = tuple[tuple[Any, ...], list[tuple[Any, ...]], list[int]]

COLUMNS: dict[str, tuple[str, ...]] = {
    "household": (
        "rowid",
        "id",
        "code",
        "village_code",
        "group_no",
        "address",
        "head_id",
        "phone",
        "registration_type",
    ),
    "person": (
        "rowid",
        "id",
        "household_id",
        "name",
        "sex",
        "birth_date",
        "id_number",
        "ethnicity",
        "marital_status",
        "relationship",
        "registration_type",
        "residence_status",
        "residence_place",
        "residence_since",
        "death_date",
        "death_cause",
        "phone",
    ),
    "marriage": (
        "id",
        "wife_id",
        "husband_id",
        "outside_spouse_name",
        "outside_spouse_id_number",
        "outside_spouse_address",
        "married_on",
        "ended_on",
        "end_reason",
    ),
    "pregnancy": (
        "id",
        "woman_id",
        "marriage_id",
        "registered_on",
        "last_period_on",
        "expected_on",
        "outcome",
        "outcome_on",
    ),
    "birth": (
        "id",
        "pregnancy_id",
        "mother_id",
        "father_id",
        "marriage_id",
        "child_id",
        "birth_date",
        "sex",
        "weight_g",
        "place",
        "alive",
        "document_kind",
        "document_no",
    ),
    "contraception": (
        "id",
        "woman_id",
        "user_id",
        "method",
        "started_on",
        "ended_on",
        "end_reason",
        "provider",
    ),
    "supply": ("id", "person_id", "handed_on", "item", "quantity", "handed_by"),
    "visit": (
        "id",
        "person_id",
        "visit_type",
        "visited_on",
        "visited_by",
        "result",
        "follows_table",
        "follows_id",
    ),
    "move": ("id", "person_id", "kind", "moved_on", "place", "reason"),
    "certificate": ("id", "woman_id", "marriage_id", "kind", "number", "issued_on"),
}
TABLES = tuple(COLUMNS)

YEAR = 365.2425
MALE, FEMALE = idnumber.MALE, idnumber.FEMALE
_D = dt.date.toordinal
DETAIL_FROM = _D(dt.date(2015, 1, 1))  # births from here on get pregnancies and papers
TWO_CHILD = _D(dt.date(2016, 1, 1))
THREE_CHILD = _D(dt.date(2021, 8, 20))
ONE_CHILD_ERA = _D(dt.date(2000, 1, 1))
BIRTH_ROWS_FROM = _D(dt.date(1960, 1, 1))  # mothers born earlier: children not itemised

_ISO: dict[int, str] = {}


def iso(day: int) -> str:
    text = _ISO.get(day)
    if text is None:
        text = _ISO[day] = dt.date.fromordinal(day).isoformat()
    return text


def uuid7(unix_ms: int, bits: int) -> str:
    """core.ids.new_id(unix_ms, bits as 10 big-endian bytes), formatted without uuid.UUID.

    A million persons take several million keys; this is about four times faster, and
    tests/store/test_demo.py holds the two together bit for bit.
    """
    value = (unix_ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | ((bits >> 64) & 0x0FFF) << 64
    value |= 0b10 << 62 | (bits & 0x3FFF_FFFF_FFFF_FFFF)
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_YEAR: dict[int, int] = {}


def year_of(day: int) -> int:
    year = _YEAR.get(day)
    if year is None:
        year = _YEAR[day] = dt.date.fromordinal(day).year
    return year


class _Mix(Generic[T]):
    """A weighted choice, with the running totals computed once (random.choices redoes
    them on every call, and the demo draws millions of times)."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = list(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]


# Household kinds, with the shares that give a rural county's composition.
HOUSEHOLD_KINDS = _Mix(
    [("nuclear", 46), ("stem", 33), ("elderly", 11), ("single", 6), ("floating", 4)]
)
# Age of the wife in a nuclear household, by five-year band; of the old in an old one.
NUCLEAR_WIFE_AGE = _Mix(list(zip(range(20, 65, 5), (4, 7, 10, 11, 10, 11, 12, 9, 6), strict=True)))
ELDERLY_AGE = _Mix(list(zip(range(60, 95, 5), (25, 24, 20, 14, 9, 5, 3), strict=True)))
# Children wanted, by the mother's generation (rural fertility, fewer over time).
CHILDREN_WANTED = (
    (1965, _Mix([(1, 10), (2, 55), (3, 30), (4, 5)])),
    (1980, _Mix([(0, 3), (1, 30), (2, 60), (3, 7)])),
    (1990, _Mix([(0, 4), (1, 38), (2, 53), (3, 5)])),
    (9999, _Mix([(0, 8), (1, 45), (2, 42), (3, 5)])),
)
BIRTH_PLACES = _Mix([("hospital", 70), ("health_center", 28), ("home", 2)])
# The method chosen after the last child: IUD first, sterilisation after two children.
METHODS_NO_CHILD = _Mix([("condom", 50), ("pill", 15), ("iud", 10), ("none", 25)])
METHODS_ONE_CHILD = _Mix(
    [("iud", 70), ("condom", 15), ("pill", 4), ("implant", 5), ("injection", 2), ("none", 4)]
)


def _methods_after_two(sterilisation: int) -> _Mix[str]:
    return _Mix(
        [
            ("iud", 45),
            ("female_sterilisation", sterilisation),
            ("male_sterilisation", 5),
            ("implant", 4),
            ("condom", 6),
            ("pill", 1),
            ("injection", 1),
            ("none", 2),
        ]
    )


METHODS_TWO_CHILDREN_OLDER = _methods_after_two(50)  # mothers born before 1975
METHODS_TWO_CHILDREN = _methods_after_two(28)


class DemoSizeError(ValueError):
    """The asked size is outside what the demo builds."""

    def __init__(self, persons: int) -> None:
        self.text = Text(
            f"演示登记册的人数必须在 {MIN_PERSONS} 到 {MAX_PERSONS:,} 之间（收到 {persons}）。",
            f"A demo register holds {MIN_PERSONS} to {MAX_PERSONS:,} persons (got {persons}).",
        )
        super().__init__(str(self.text))


class _Person:
    __slots__ = (
        "born",
        "died",
        "eth",
        "id",
        "id_number",
        "marital",
        "name",
        "phone",
        "place",
        "reg",
        "rel",
        "sex",
        "since",
        "status",
        "surname",
    )

    def __init__(self, pid: str, surname: str, name: str, sex: int, born: int) -> None:
        self.id = pid
        self.surname = surname
        self.name = name
        self.sex = sex
        self.born = born
        self.id_number = ""
        self.marital = 10
        self.rel = 0
        self.reg = 2
        self.eth = "01"
        self.status = "here"
        self.place: str | None = None
        self.since: int | None = None
        self.died: tuple[int, str] | None = None
        self.phone: str | None = None


class _Village:
    """What every household of one village shares."""

    def __init__(
        self,
        code: str,
        name: str,
        address: str,
        urban: bool,
        officer: str,
        clans: list[str],
        groups: int,
    ) -> None:
        self.code = code
        self.name = name
        self.address = address
        self.urban = urban
        self.officer = officer
        self.clans = clans
        self.groups = groups
        self.next_house = [0] * (groups + 1)


class _Home:
    """One household being assembled; nothing is kept unless it fits the quota."""

    def __init__(self, hid: str, village: _Village) -> None:
        self.id = hid
        self.village = village
        self.members: list[_Person] = []


class _District:
    """The generator: one random stream, one synthetic clock for the keys."""

    def __init__(self, seed: int, reference: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = _D(reference)
        # Keys are UUIDv7 with a fixed timestamp sequence starting a year before the
        # reference date, one millisecond apart: same seed, same keys.
        start = dt.datetime.combine(reference, dt.time(), tzinfo=dt.UTC) - dt.timedelta(days=365)
        self.ms = int(start.timestamp() * 1000)
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
        self.id_sequence: dict[tuple[str, int, int], int] = {}
        self.address_sums: dict[str, int] = {}
        self.date_sums: dict[int, tuple[str, int]] = {}
        self.doc_counter = 0
        self.surname_mix = _Mix(names.SURNAMES)
        self.given = {key: list(chars) for key, chars in names.GIVEN.items()}
        self.resupply = {
            m: method_facts(m).resupply_days or 30 for m in ("pill", "condom", "injection")
        }
        self.officer = ""  # who visits in the village being built
        self.plan = schedules()
        # Rows of person and household are numbered as they are kept (their rowid),
        # and the search index's keys made for them at once, by band (see store.search).
        self.households_kept = 0
        self.persons_kept = 0
        self.index_keys: tuple[list[tuple[int, str]], ...] = ([], [], [], [])

    # --- small draws ------------------------------------------------------------

    def between(self, low: int, high: int) -> int:
        """random.randint without its three layers of calls: the demo makes millions."""
        return low + int(self.rng.random() * (high - low + 1))

    def new_key(self) -> str:
        self.ms += 1
        return uuid7(self.ms, self.rng.getrandbits(80))

    def surname(self, village: _Village | None = None) -> str:
        # Villages of the south are often one or two clans: half the people share them.
        if village is not None and self.rng.random() < 0.5:
            return self.rng.choice(village.clans)
        return self.surname_mix.pick(self.rng)

    def given_name(self, sex: int, born: int) -> str:
        year = year_of(born)
        era = "old" if year < 1975 else "mid" if year < 2003 else "new"
        chars = self.given[(sex, era)]
        if self.rng.random() < 0.2:
            return self.rng.choice(chars)
        return self.rng.choice(chars) + self.rng.choice(chars)

    def id_number(self, address: str, born: int, sex: int) -> str:
        """A valid, unique number: sequence odd for men, even for women (GB 11643)."""
        key = (address, born, sex)
        sequence = self.id_sequence.get(key)
        if sequence is None:
            sequence = 2 * self.rng.randrange(0, 120) + (1 if sex == MALE else 2)
        if sequence > 999:
            raise RuntimeError(f"more than 500 persons of one sex born {iso(born)} in {address}")
        self.id_sequence[key] = sequence + 2
        # The check character of idnumber.make, with the weighted sums of the address
        # and of the birth date each computed once, not once per person.
        w = idnumber.WEIGHTS
        total = self.address_sums.get(address)
        if total is None:
            total = self.address_sums[address] = sum(int(d) * w[i] for i, d in enumerate(address))
        date = self.date_sums.get(born)
        if date is None:
            digits = f"{dt.date.fromordinal(born):%Y%m%d}"
            date = self.date_sums[born] = (
                digits,
                sum(int(d) * w[6 + i] for i, d in enumerate(digits)),
            )
        total += date[1]
        total += sequence // 100 * w[14] + sequence // 10 % 10 * w[15] + sequence % 10 * w[16]
        return f"{address}{date[0]}{sequence:03d}{idnumber.CHECK_CHARS[total % 11]}"

    def phone(self) -> str:
        return "1" + self.rng.choice("3578") + f"{self.rng.randrange(10**9):09d}"

    def born_at_age(self, low: float, high: float) -> int:
        """A birth date for someone aged between low and high on the reference date."""
        return self.today - int(self.rng.uniform(low, high) * YEAR)

    def age(self, born: int, on: int | None = None) -> float:
        return ((self.today if on is None else on) - born) / YEAR

    def doc_number(self, on: int) -> str:
        self.doc_counter += 1
        return f"{COUNTY}{year_of(on)}{self.doc_counter:06d}"

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows[table].append(row)

    def lateness(self, due: int) -> int | None:
        """Days after a due date that the officer makes the visit; None: never made.

        She works from the due list, which shows a visit from 15 days before its date:
        most visits are made in the days around it, some a few weeks late, a few much
        later, very few never.  Visits due long ago were all made, but for one in a
        thousand.  On the reference date this leaves a realistic minority of the due
        list overdue (tests/store/test_demo.py), not a backlog.
        """
        roll = self.rng.random()
        if due < self.today - 180:
            return None if roll < 0.001 else self.between(-10, 20)
        if roll < 0.89:
            return self.between(-12, 2)
        if roll < 0.98:
            return self.between(3, 16)
        if roll < 0.997:
            return self.between(17, 60)
        return None

    # --- persons ----------------------------------------------------------------

    def person(
        self,
        home: _Home,
        sex: int,
        born: int,
        rel: int,
        *,
        surname: str | None = None,
        address: str = COUNTY,
    ) -> _Person:
        family = surname or self.surname(home.village)
        person = _Person(self.new_key(), family, family + self.given_name(sex, born), sex, born)
        person.rel = rel
        person.id_number = self.id_number(address, born, sex)
        if home.village.urban and self.rng.random() < 0.6:
            person.reg = 1
        roll = self.rng.random()
        person.eth = "08" if roll < 0.35 else "13" if roll < 0.38 else "01"
        if 18 <= self.age(born) < 66 and self.rng.random() < 0.6:
            person.phone = self.phone()
        home.members.append(person)
        return person

    def maybe_floats_out(self, person: _Person) -> None:
        """Young adults often work in the cities of Guangdong (流出)."""
        age = self.age(person.born)
        if not 18 <= age < 46 or self.rng.random() >= 0.15:
            return
        earliest = max(person.born + int(16 * YEAR), self.today - int(8 * YEAR))
        # A bride whose hukou came here on marriage floats out only after it came.
        earliest = max(earliest, (person.since or 0) + 1)
        if earliest >= self.today - 20:
            return
        since = self.between(earliest, self.today - 20)
        person.status, person.since = "out", since
        person.place = self.rng.choice(names.DESTINATIONS)
        self.add(
            "move", (self.new_key(), person.id, "float_out", iso(since), person.place, "外出务工")
        )
        # About one in four has come back since (返回): home for good, or to marry.
        if self.rng.random() < 0.25 and since + 180 < self.today - 10:
            back = self.between(since + 180, self.today - 10)
            self.add("move", (self.new_key(), person.id, "return", iso(back), None, "返乡"))
            person.status, person.since, person.place = "here", back, None

    def maybe_died(self, person: _Person, chance: float) -> bool:
        if self.rng.random() >= chance:
            return False
        earliest = max(person.born + int(55 * YEAR), self.today - int(5 * YEAR))
        if earliest >= self.today:
            return False
        day = self.between(earliest, self.today - 1)
        person.died = (day, self.rng.choice(names.DEATH_CAUSES))
        return True

    def outside_spouse(self, sex: int, born: int) -> tuple[str, str, str]:
        """Name, ID number and address of a spouse registered in another county."""
        origin, place = self.rng.choice(names.ORIGINS)
        name = self.surname() + self.given_name(sex, born)
        return name, self.id_number(origin, born, sex), place

    # --- households --------------------------------------------------------------

    def household(self, village: _Village, left: int) -> int:
        """Build one household that fits in `left` persons; returns its size."""
        for attempt in range(4):
            marks = {t: len(rows) for t, rows in self.rows.items()}
            kind = "single" if attempt == 3 else HOUSEHOLD_KINDS.pick(self.rng)
            home = _Home(self.new_key(), village)
            getattr(self, "_" + kind)(home)
            if len(home.members) <= left:
                self.commit(home)
                return len(home.members)
            for table, mark in marks.items():
                del self.rows[table][mark:]
        raise AssertionError("a single-person household always fits")

    def commit(self, home: _Home) -> None:
        village = home.village
        group = self.between(1, village.groups)
        village.next_house[group] += 1
        number = village.next_house[group]
        code = area.household_code(village.code, group, number)
        head = home.members[0]
        address = f"{village.address}{group}组{number}号"
        self.households_kept += 1
        row = self.households_kept
        self.add(
            "household",
            (
                row,
                home.id,
                code,
                village.code,
                f"{group:02d}",
                address,
                head.id,
                head.phone,
                head.reg,
            ),
        )
        # store.search.person_keys, with the household's part made once for its members
        # (tests/store/test_demo.py holds the index to the one search.rebuild makes).
        household_keys = search.household_keys(code, village.code)
        self.index_keys[search.HOUSEHOLD_BAND].append(
            (search.index_rowid(search.HOUSEHOLD_BAND, row), household_keys)
        )
        for p in home.members:
            died = p.died
            self.persons_kept += 1
            row = self.persons_kept
            band = search.person_band(died is not None, p.status)
            id_number = p.id_number.lower()
            keys = f"{search.name_keys(p.name)} d{id_number} r{id_number[::-1]} {household_keys}"
            self.index_keys[band].append((search.index_rowid(band, row), keys))
            self.add(
                "person",
                (
                    row,
                    p.id,
                    home.id,
                    p.name,
                    p.sex,
                    iso(p.born),
                    p.id_number,
                    p.eth,
                    p.marital,
                    p.rel,
                    p.reg,
                    p.status,
                    p.place,
                    iso(p.since) if p.since is not None else None,
                    iso(died[0]) if died else None,
                    died[1] if died else None,
                    p.phone,
                ),
            )

    def _nuclear(self, home: _Home) -> None:
        rng = self.rng
        band = NUCLEAR_WIFE_AGE.pick(rng)
        wife_born = self.born_at_age(band, band + 5)
        husband_born = wife_born - int(rng.gauss(2, 2) * YEAR)
        married = self.marriage_date(wife_born, husband_born)
        if married is None:  # not married yet: a young person on their own
            sex = MALE if rng.random() < 0.6 else FEMALE
            self.maybe_floats_out(self.person(home, sex, wife_born, 0))
            return
        roll = rng.random()
        if roll < 0.08:  # husband registered elsewhere: the wife heads the household
            wife = self.person(home, FEMALE, wife_born, 0, address=self._wife_origin())
            self.couple(home, wife, None, husband_born, married)
        elif roll < 0.11:  # divorced, the wife kept the household and the children
            wife = self.person(home, FEMALE, wife_born, 0)
            self.couple(home, wife, None, husband_born, married, divorced=True)
        else:
            surname = self.surname(home.village)
            husband = self.person(home, MALE, husband_born, 0, surname=surname)
            wife = self.person(home, FEMALE, wife_born, 1, address=self._wife_origin())
            self.couple(home, wife, husband, husband_born, married)

    def _stem(self, home: _Home) -> None:
        """Three generations: the working son heads it, his parents live with him."""
        rng = self.rng
        mother_born = self.born_at_age(47, 82)
        father_born = mother_born - int(rng.gauss(2.5, 2) * YEAR)
        parents_married = self.marriage_date(mother_born, father_born)
        if parents_married is None:
            self._nuclear(home)
            return
        # The heir is a son the parents really had: choosing households by their sons
        # must not add boys to the births on record.
        births, _ = self.schedule(mother_born, parents_married, None)
        sons = [day for day, sex in births if sex == MALE and self.age(day) >= 23]
        if not sons:  # only daughters (married away) or young children: the parents alone
            self.parents_alone(home, mother_born, father_born, parents_married, births)
            return
        heir_born = sons[0]
        surname = self.surname(home.village)
        heir = self.person(home, MALE, heir_born, 0, surname=surname)
        wife_born = heir_born + int(rng.gauss(2, 2) * YEAR)
        married = self.marriage_date(wife_born, heir_born)
        if married is not None and self.age(wife_born) >= 21 and rng.random() < 0.92:
            wife = self.person(home, FEMALE, wife_born, 1, address=self._wife_origin())
            self.couple(home, wife, heir, heir_born, married)
        else:
            self.maybe_floats_out(heir)
        father: _Person | None = None
        if rng.random() < 0.8:
            father = self.person(home, MALE, father_born, 5, surname=surname)
        mother = self.person(home, FEMALE, mother_born, 5)
        self.elder_couple(home, mother, father, father_born, parents_married, (births, heir))
        if rng.random() < 0.15:  # an unmarried younger brother still at home
            brother_born = heir_born + int(rng.uniform(2, 6) * YEAR)
            if self.age(brother_born) >= 16:
                brother = self.person(home, MALE, brother_born, 7, surname=surname)
                self.maybe_floats_out(brother)

    def parents_alone(
        self,
        home: _Home,
        mother_born: int,
        father_born: int,
        married: int,
        births: list[tuple[int, int]],
    ) -> None:
        """A couple without a grown son at home; their births stay on record all the same."""
        if self.rng.random() < 0.85:
            father = self.person(home, MALE, father_born, 0)
            mother = self.person(home, FEMALE, mother_born, 1)
        else:
            father, mother = None, self.person(home, FEMALE, mother_born, 0)
        self.elder_couple(home, mother, father, father_born, married, (births, None))

    def _elderly(self, home: _Home) -> None:
        """Old people whose children live elsewhere."""
        rng = self.rng
        band = ELDERLY_AGE.pick(rng)
        wife_born = self.born_at_age(band, band + 5)
        husband_born = wife_born - int(rng.gauss(2.5, 2) * YEAR)
        married = self.marriage_date(wife_born, husband_born)
        if married is None:
            raise AssertionError("a woman over 60 married long ago")
        if rng.random() < 0.65:
            husband = self.person(home, MALE, husband_born, 0)
            wife = self.person(home, FEMALE, wife_born, 1)
            self.elder_couple(home, wife, husband, husband_born, married)
        else:
            wife = self.person(home, FEMALE, wife_born, 0)
            self.elder_couple(home, wife, None, husband_born, married)

    def _single(self, home: _Home) -> None:
        rng = self.rng
        sex = MALE if rng.random() < 0.8 else FEMALE
        person = self.person(home, sex, self.born_at_age(25, 66), 0)
        if rng.random() < 0.3:  # divorced, the former spouse lives elsewhere
            other = FEMALE if sex == MALE else MALE
            self.former_marriage(person, other)
        self.maybe_floats_out(person)

    def _floating(self, home: _Home) -> None:
        """A young family living here, registered in another county (流入)."""
        rng = self.rng
        origin, place = rng.choice(names.ORIGINS)
        wife_born = self.born_at_age(21, 40)
        husband_born = wife_born - int(rng.gauss(2, 1.5) * YEAR)
        married = self.marriage_date(wife_born, husband_born)
        husband = self.person(home, MALE, husband_born, 0, surname=self.surname(), address=origin)
        if married is not None:
            wife = self.person(home, FEMALE, wife_born, 1, surname=self.surname(), address=origin)
            self.couple(
                home, wife, husband, husband_born, married, registered_at=origin, settled=False
            )
        since = self.between(self.today - int(6 * YEAR), self.today - 30)
        # Some families have moved on since (离开): their record stays, counted nowhere.
        left = None
        if rng.random() < 0.12 and since + 365 < self.today - 10:
            left = self.between(since + 365, self.today - 10)
        for p in home.members:
            p.status, p.place, p.since = "in", place, max(since, p.born)
            self.add("move", (self.new_key(), p.id, "float_in", iso(p.since), place, "务工经商"))
            if left is not None and left > p.since:
                self.add("move", (self.new_key(), p.id, "leave", iso(left), place, "返回原籍"))

    def _wife_origin(self) -> str:
        # Most wives married in from the county itself or from a neighbouring one.
        return COUNTY if self.rng.random() < 0.55 else self.rng.choice(names.NEARBY)

    # --- couples and their children -----------------------------------------------

    def marriage_date(self, wife_born: int, husband_born: int) -> int | None:
        """Married when she was 20-27 and he at least 22 (the legal ages); None if not yet."""
        married = wife_born + int(self.rng.uniform(20, 27.5) * YEAR)
        married = max(married, husband_born + int(22 * YEAR) + 30)
        return married if married <= self.today - 30 else None

    def couple(
        self,
        home: _Home,
        wife: _Person,
        husband: _Person | None,
        husband_born: int,
        married: int,
        *,
        divorced: bool = False,
        registered_at: str = COUNTY,
        settled: bool = True,
    ) -> None:
        """A married couple of working age, their children, and the wife's services.

        `settled` is False for a family floating in: they moved here as they are, so
        nobody of theirs is recorded as floating out.
        """
        ended: int | None = None
        if divorced:
            end = self.between(married + 365, max(married + 366, self.today - 30))
            ended = end if end < self.today else None
        marriage_id = self.new_key()
        outside: tuple[str | None, str | None, str | None] = (None, None, None)
        if husband is None:
            outside = self.outside_spouse(MALE, husband_born)
        wife.marital = 40 if ended else 20
        if husband is not None:
            husband.marital = 20
        self.add(
            "marriage",
            (
                marriage_id,
                wife.id,
                husband.id if husband else None,
                *outside,
                iso(married),
                iso(ended) if ended else None,
                "divorce" if ended else None,
            ),
        )
        if settled:
            self.marriage_move(wife, married)
        surname = husband.surname if husband else (outside[0] or "王")[:1]
        births, due = self.schedule(wife.born, married, ended)
        kids = self.children(home, births, surname, registered_at, settled)
        self.record_births(wife, husband, marriage_id, births, kids)
        pregnant = due if ended is None else None
        if pregnant is not None:
            self.pregnancy_in_progress(wife, marriage_id, pregnant)
        self.contraception(wife, husband, births, married, ended, pregnant)
        if ended is None:
            self.exam(wife, married)
        if settled:
            self.maybe_floats_out(wife)
            if husband is not None:
                self.maybe_floats_out(husband)

    def elder_couple(
        self,
        home: _Home,
        wife: _Person,
        husband: _Person | None,
        husband_born: int,
        married: int,
        known: tuple[list[tuple[int, int]], _Person | None] | None = None,
    ) -> None:
        """An older couple (or a widow): marriage, deaths, children's births on record."""
        end: int | None = None
        outside: tuple[str | None, str | None, str | None] = (None, None, None)
        if husband is None:  # widowed long ago; the husband was never in this register
            wife.marital = 30
            outside = (self.surname() + self.given_name(MALE, husband_born), None, None)
            end = self.between(married + 365, max(married + 366, self.today - 365))
        else:
            if self.maybe_died(husband, 0.004 * max(0.0, self.age(husband.born) - 55)):
                end = husband.died[0] if husband.died else None
            elif self.maybe_died(wife, 0.003 * max(0.0, self.age(wife.born) - 58)):
                end = wife.died[0] if wife.died else None
            wife.marital = 30 if husband.died else 20
            husband.marital = 30 if wife.died else 20
            if husband.died and husband.rel == 0:  # the widow heads the household now
                husband.rel, wife.rel = 1, 0
                home.members.remove(wife)
                home.members.insert(0, wife)
        marriage_id = self.new_key()
        self.add(
            "marriage",
            (
                marriage_id,
                wife.id,
                husband.id if husband else None,
                *outside,
                iso(married),
                iso(end) if end else None,
                "widowed" if end else None,
            ),
        )
        if wife.born < BIRTH_ROWS_FROM:
            return
        if known is None:
            births, _ = self.schedule(wife.born, married, None)
            kids: list[_Person | None] = [None] * len(births)
        else:  # the births already planned, one of them the son heading the household
            births, son = known
            kids = [
                son if son is not None and (day, sex) == (son.born, son.sex) else None
                for day, sex in births
            ]
        self.record_births(wife, husband, marriage_id, births, kids)
        if end is None and husband is not None:  # a mother in her late forties still counts
            self.contraception(wife, husband, births, married, None, None)
            self.exam(wife, married)

    def former_marriage(self, person: _Person, other_sex: int) -> None:
        born = person.born + int(self.rng.gauss(0, 2) * YEAR)
        wife_born, husband_born = (
            (person.born, born) if person.sex == FEMALE else (born, person.born)
        )
        married = self.marriage_date(wife_born, husband_born)
        if married is None or married + 400 >= self.today:
            return
        ended = self.between(married + 365, self.today - 30)
        name, number, place = self.outside_spouse(other_sex, born)
        wife_id, husband_id = (person.id, None) if person.sex == FEMALE else (None, person.id)
        self.add(
            "marriage",
            (
                self.new_key(),
                wife_id,
                husband_id,
                name,
                number,
                place,
                iso(married),
                iso(ended),
                "divorce",
            ),
        )
        person.marital = 40

    def marriage_move(self, wife: _Person, married: int) -> None:
        """A bride from another county moved her registration here on marriage."""
        if wife.id_number[:6] == COUNTY or married < self.today - int(6 * YEAR):
            return
        moved = min(self.today - 1, married + self.between(0, 90))
        wife.since = moved
        self.add(
            "move", (self.new_key(), wife.id, "transfer_in", iso(moved), "婚前户籍地", "婚迁")
        )

    def schedule(
        self, mother_born: int, married: int, ended: int | None
    ) -> tuple[list[tuple[int, int]], int | None]:
        """The couple's births (day, sex) up to today, and a birth due soon, if any.

        The wanted number of children follows the mother's generation; third births in
        the one-child era (2000 to the 2021 law) are rare.  A birth due within 238 days
        of today is a pregnancy in progress, already registered.
        """
        rng = self.rng
        year = year_of(mother_born)
        wanted = next(mix for before, mix in CHILDREN_WANTED if year < before).pick(rng)
        births: list[tuple[int, int]] = []
        last_fertile = mother_born + int(44 * YEAR)
        day = married + self.between(300, 900)
        for order in range(wanted):
            if day > last_fertile or (ended is not None and day > ended):
                break
            if day > self.today:
                return births, (day if day <= self.today + 238 else None)
            if order == 2 and ONE_CHILD_ERA <= day < THREE_CHILD and rng.random() > 0.15:
                break
            all_girls = bool(births) and all(sex == FEMALE for _, sex in births)
            p_male = 0.512 if not births else 0.545 if all_girls else 0.505
            births.append((day, MALE if rng.random() < p_male else FEMALE))
            if rng.random() < 0.01:  # twins: two rows, one day
                births.append((day, MALE if rng.random() < 0.51 else FEMALE))
            day += self.between(730, 2200)
        return births, None

    def children(
        self,
        home: _Home,
        births: list[tuple[int, int]],
        surname: str,
        registered_at: str,
        settled: bool,
    ) -> list[_Person | None]:
        """Which children live in the household; grown daughters have mostly married away."""
        kids: list[_Person | None] = []
        for day, sex in births:
            age = self.age(day)
            stays = age < 18 or (age < 30 and self.rng.random() < (0.5 if sex == MALE else 0.3))
            relationship = 2 if sex == MALE else 3
            if not stays:
                # A daughter who married into another place in the last few years still
                # has her record here, closed by her 迁出 (her hukou left on marriage).
                married_out = self.married_out_on(day) if sex == FEMALE and settled else None
                if married_out is not None:
                    child = self.person(
                        home, sex, day, relationship, surname=surname, address=registered_at
                    )
                    child.marital = 20
                    place = self.rng.choice(names.NEARBY_PLACES)
                    self.add(
                        "move",
                        (self.new_key(), child.id, "transfer_out", iso(married_out), place, "婚迁"),
                    )
                    kids.append(child)
                    continue
                kids.append(None)
                continue
            child = self.person(
                home, sex, day, relationship, surname=surname, address=registered_at
            )
            if settled and sex == MALE and 18 <= age < 23 and self.rng.random() < 0.08:
                # To university or the army: the hukou goes with him (迁出).
                turned_18 = day + int(18 * YEAR)
                away = self.between(turned_18, max(turned_18, self.today - 10))
                self.add(
                    "move",
                    (self.new_key(), child.id, "transfer_out", iso(away), "南宁市", "升学"),
                )
            elif settled:
                self.maybe_floats_out(child)
            kids.append(child)
        return kids

    def married_out_on(self, born: int) -> int | None:
        """When a grown daughter married away, if it was in the last six years (older
        records were cleared from the register long ago); else None."""
        married = born + int(self.rng.uniform(20, 27.5) * YEAR)
        if married < self.today - int(6 * YEAR) or married >= self.today - 10:
            return None
        return married if self.rng.random() < 0.7 else None

    def record_births(
        self,
        mother: _Person,
        father: _Person | None,
        marriage_id: str,
        births: list[tuple[int, int]],
        kids: list[_Person | None],
    ) -> None:
        """Birth rows; from 2015 also the pregnancy, papers and visits around each birth."""
        rng = self.rng
        pregnancy_of: dict[int, tuple[str, str]] = {}
        for order, ((day, sex), kid) in enumerate(zip(births, kids, strict=True), start=1):
            pregnancy_id: str | None = None
            document, number = "certificate", None
            if day >= DETAIL_FROM:
                if day not in pregnancy_of:
                    pregnancy_of[day] = self.past_pregnancy(mother, marriage_id, day)
                pregnancy_id, number = pregnancy_of[day]
                if day >= TWO_CHILD:
                    document = "approval" if order >= 3 and day < THREE_CHILD else "registration"
            elif order >= 2 and day >= ONE_CHILD_ERA:
                issued = day - self.between(300, 600)
                number = self.paper(mother, marriage_id, "birth_certificate", issued)
            place = BIRTH_PLACES.pick(rng)
            birth_id = self.new_key()
            self.add(
                "birth",
                (
                    birth_id,
                    pregnancy_id,
                    mother.id,
                    father.id if father else None,
                    marriage_id,
                    kid.id if kid else None,
                    iso(day),
                    sex,
                    int(rng.gauss(3250, 420)),
                    place,
                    1,
                    document,
                    number,
                ),
            )
            if self.today - day < 2 * 365:
                self.postnatal_visits(mother, birth_id, day)
        if len(births) == 1 and births[0][0] < TWO_CHILD and rng.random() < 0.4:
            issued = min(self.today - 1, births[0][0] + self.between(200, 1200))
            self.paper(mother, marriage_id, "one_child_certificate", issued)

    def paper(self, woman: _Person, marriage_id: str, kind: str, issued: int) -> str:
        """A certificate row; returns its number."""
        number = self.doc_number(issued)
        self.add("certificate", (self.new_key(), woman.id, marriage_id, kind, number, iso(issued)))
        return number

    def past_pregnancy(self, mother: _Person, marriage_id: str, born: int) -> tuple[str, str]:
        """The pregnancy that ended in a birth, with its registration; (id, paper number)."""
        last_period = born - self.between(266, 294)
        registered = last_period + self.between(42, 98)
        pregnancy_id = self.new_key()
        self.add(
            "pregnancy",
            (
                pregnancy_id,
                mother.id,
                marriage_id,
                iso(registered),
                iso(last_period),
                iso(last_period + 280),
                "live_birth",
                iso(born),
            ),
        )
        kind = "birth_service_registration" if born >= TWO_CHILD else "birth_certificate"
        number = self.paper(mother, marriage_id, kind, registered)
        if self.today - born < 3 * 365:
            self.tracking_visits(mother, pregnancy_id, registered, born)
        return pregnancy_id, number

    def pregnancy_in_progress(self, wife: _Person, marriage_id: str, due: int) -> None:
        last_period = due - 280
        registered = min(self.today - 1, last_period + self.between(42, 98))
        pregnancy_id = self.new_key()
        self.add(
            "pregnancy",
            (
                pregnancy_id,
                wife.id,
                marriage_id,
                iso(registered),
                iso(last_period),
                iso(due),
                None,
                None,
            ),
        )
        self.paper(wife, marriage_id, "birth_service_registration", registered)
        self.tracking_visits(wife, pregnancy_id, registered, None)

    # --- services -----------------------------------------------------------------

    def visit(
        self,
        person: _Person,
        kind: str,
        on: int,
        result: str | None,
        follows: tuple[str, str] | None = None,
    ) -> None:
        officer = self.officer
        self.add(
            "visit",
            (
                self.new_key(),
                person.id,
                kind,
                iso(on),
                officer,
                result,
                follows[0] if follows else None,
                follows[1] if follows else None,
            ),
        )

    def tracking_visits(
        self, woman: _Person, pregnancy_id: str, registered: int, until: int | None
    ) -> None:
        """Monthly 孕情跟踪 from registration to the outcome (None: still pregnant).

        Each visit is made around its date (lateness); for a pregnancy in progress the
        latest may not be made yet, and then she is on the due list.
        """
        end = self.today if until is None else min(until, self.today)
        every = self.plan.pregnancy.every_days or 30
        due = registered + every
        while due < end + 15:
            late = self.lateness(due)
            on = due + late if late is not None else None
            if on is not None and registered < on < end:
                self.visit(woman, "pregnancy_tracking", on, "孕情正常", ("pregnancy", pregnancy_id))
            due += every

    def postnatal_visits(self, mother: _Person, birth_id: str, born: int) -> None:
        """Visits on the schedule's days after the delivery, nearly all of them made."""
        for days in self.plan.postnatal.days:
            on = born + days + self.between(-2, 4)
            if on < self.today and self.rng.random() < 0.96:
                self.visit(mother, "postnatal", on, "母婴健康", ("birth", birth_id))

    def followups(
        self, person: _Person, episode_id: str, method: str, started: int, stop: int | None
    ) -> None:
        """Follow-ups on the configured schedule (core.schedules) after an operation.

        Visits of the last three years are written, and always the latest one due, each
        made around its date (lateness): the latest may not be made yet (due or overdue).
        """
        series = self.plan.operations.get(method)
        if series is None:
            return
        plan = [(m, series.visit_type) for m in series.months]
        if series.then_every_months:
            later = series.then_visit_type or series.visit_type
            month = plan[-1][0] if plan else 0
            while started + (month + series.then_every_months) * 30.4 <= self.today + 31:
                month += series.then_every_months
                plan.append((month, later))
        # A visit may be made up to 15 days before its date (the due list's window).
        end = min(self.today, stop) if stop is not None else self.today + 15
        # Only the last three years and the latest due date are written; the exact due
        # dates (core.schedules.add_months) are computed for those only.
        plan = [(m, kind) for m, kind in plan if started + m * 30.4 >= self.today - 3 * 365 - 31]
        if not plan and series.months:
            plan = [(series.months[-1], series.visit_type)]
        start = dt.date.fromordinal(started)
        dues = [(_D(add_months(start, m)), kind) for m, kind in plan]
        dues = [(day, kind) for day, kind in dues if day <= end]
        for due, kind in dues:
            late = self.lateness(due)
            if late is None:
                continue
            on = due + late
            if started < on <= self.today and (stop is None or on < stop):
                self.visit(person, kind, on, "正常", ("contraception", episode_id))

    def contraception(
        self,
        wife: _Person,
        husband: _Person | None,
        births: list[tuple[int, int]],
        married: int,
        ended: int | None,
        due: int | None,
    ) -> None:
        """Episodes between births (an IUD removed to have the next child) and today's."""
        rng = self.rng
        if self.age(wife.born) >= 50:
            return
        days = sorted({day for day, _ in births})
        for before, after in itertools.pairwise(days):
            start = before + self.between(42, 180)
            stop = after - 280 - self.between(20, 90)
            if before >= DETAIL_FROM - 5 * 365 and stop > start + 90 and rng.random() < 0.5:
                self.episode(wife, None, "iud", start, (stop, "wants_child"))
        start = (days[-1] + self.between(42, 365)) if days else married + self.between(30, 400)
        if due is not None:  # pregnant now: any method ended before this pregnancy
            stop = due - 280 - self.between(20, 90)
            if days and stop > start + 90 and rng.random() < 0.5:
                self.episode(wife, None, "iud", start, (stop, "wants_child"))
            return
        if start >= self.today or (ended is not None and start >= ended):
            return
        chosen = self.method_for(len(days), year_of(wife.born), husband is not None)
        if chosen == "none":
            return
        user = husband if chosen == "male_sterilisation" else None
        permanent = chosen in ("female_sterilisation", "male_sterilisation")
        stop_at = (ended, "marriage_ended") if ended is not None and not permanent else None
        self.episode(wife, user, chosen, start, stop_at)

    def method_for(self, children: int, born_year: int, husband_here: bool) -> str:
        """The method mix of a rural county: IUD first, sterilisation after two children."""
        rng = self.rng
        if children == 0:
            return METHODS_NO_CHILD.pick(rng)
        if children == 1:
            return METHODS_ONE_CHILD.pick(rng)
        mix = METHODS_TWO_CHILDREN_OLDER if born_year < 1975 else METHODS_TWO_CHILDREN
        choice = mix.pick(rng)
        if choice == "male_sterilisation" and not husband_here:
            return "female_sterilisation"
        return choice

    def episode(
        self,
        wife: _Person,
        user: _Person | None,
        method: str,
        start: int,
        stop: tuple[int, str] | None,
    ) -> None:
        rng = self.rng
        episode_id = self.new_key()
        self.add(
            "contraception",
            (
                episode_id,
                wife.id,
                user.id if user else None,
                method,
                iso(start),
                iso(stop[0]) if stop else None,
                stop[1] if stop else None,
                rng.choice(names.PROVIDERS),
            ),
        )
        if method in self.plan.operations:
            self.followups(user or wife, episode_id, method, start, stop[0] if stop else None)
        elif method in self.resupply and stop is None:
            self.supplies(wife, method, start)

    def supplies(self, wife: _Person, method: str, start: int) -> None:
        """药具发放 over the last year: she comes back about when the last supply runs
        out, mostly a few days early; now and then late; rarely she has not come yet."""
        rng = self.rng
        every = self.resupply[method]
        day = max(start, self.today - 365)
        while day <= self.today:
            quantity = rng.choice((10, 20, 30)) if method == "condom" else 1
            self.add("supply", (self.new_key(), wife.id, iso(day), method, quantity, self.officer))
            roll = rng.random()
            if roll < 0.93:
                day += every + self.between(-6, 1)
            elif roll < 0.9992:
                day += every + self.between(2, 12)
            else:  # she stopped coming (or buys them herself now)
                return

    def exam(self, wife: _Person, married: int) -> None:
        """The yearly gynecological exam of a married woman of 15-49: a year after the
        last one, made around its date (lateness); the latest may be due or overdue."""
        plan = self.plan.exam
        if not plan.age_from <= self.age(wife.born) < plan.age_to + 1:
            return
        start = max(married, wife.born + int(16 * YEAR))
        if start < self.today - 2 * 365:  # examined for years: last year's, then this year's
            day = self.today - 2 * 365 + self.between(0, 364)
        else:  # newly married: the first exam is due now
            late = self.lateness(start)
            if late is None:
                return
            day = max(start, start + late)
        every = plan.every_months or 12
        while day <= self.today:
            result = "未见异常" if self.rng.random() < 0.9 else "宫颈炎，已建议治疗"
            self.visit(wife, "gyn_exam", day, result)
            due = _D(add_months(dt.date.fromordinal(day), every))
            late = self.lateness(due)
            if late is None:
                return
            day = due + late

    # --- the county -------------------------------------------------------------

    def village_sizes(self, persons: int) -> list[int]:
        sizes: list[int] = []
        left = persons
        while left > 0:
            size = int(self.rng.triangular(300, 3000, 1000))
            if left - size < 150:
                size = left
            sizes.append(size)
            left -= size
        return sizes

    def place_name(self, taken: set[str]) -> str:
        while True:
            name = self.rng.choice(names.PLACE_FIRST) + self.rng.choice(names.PLACE_SECOND)
            if name not in taken and name[0] != name[1]:
                taken.add(name)
                return name

    def layout(self, persons: int) -> list[Township]:
        """Townships, their villages and how many persons each village holds."""
        rng = self.rng
        sizes = self.village_sizes(persons)
        townships: list[Township] = []
        county = names.COUNTY[0]
        taken: set[str] = set()
        town_no, xiang_no = 100, 200
        while sizes:
            count = min(len(sizes), self.between(8, 18))
            chunk, sizes = sizes[:count], sizes[count:]
            is_town = len(townships) % 4 != 3
            number = town_no if is_town else xiang_no
            if is_town:
                town_no += 1
            else:
                xiang_no += 1
            code = f"{county[:6]}{number:03d}000"
            name = self.place_name(taken) + names.TOWNSHIP_SUFFIX["town" if is_town else "township"]
            township = (code, county, "township", name, 0, 0, 0, 0)
            villages: list[tuple[Any, ...]] = []
            village_taken: set[str] = set()
            for i in range(count):
                urban = is_town and i == 0 and count >= 6
                vcode = f"{code[:9]}001" if urban else f"{code[:9]}{200 + i:03d}"
                official, _ = names.VILLAGE_SUFFIX[urban]
                vname = self.place_name(village_taken) + official
                flags = (
                    int(rng.random() < 0.88),
                    int(rng.random() < (0.7 if urban else 0.97)),
                    int(rng.random() < 0.3),
                )
                villages.append((vcode, code, "village", vname, int(urban), *flags))
            townships.append((township, villages, chunk))
        return townships

    def area_rows(self, townships: list[Township]) -> list[tuple[Any, ...]]:
        """The county and everything above and below it, for area_unit."""
        rows: list[tuple[Any, ...]] = [
            (names.PROVINCE[0], None, "province", names.PROVINCE[1], 0, 0, 0, 0),
            (names.PREFECTURE[0], names.PROVINCE[0], "prefecture", names.PREFECTURE[1], 0, 0, 0, 0),
            (names.COUNTY[0], names.PREFECTURE[0], "county", names.COUNTY[1], 0, 0, 0, 0),
        ]
        for township, villages, _ in townships:
            rows.append(township)
            rows.extend(villages)
        return rows

    def village(self, row: tuple[Any, ...], township_name: str, persons: int) -> _Village:
        clans = [self.surname() for _ in range(self.between(1, 3))]
        groups = max(1, min(99, round(persons / 110)))
        official, spoken = names.VILLAGE_SUFFIX[bool(row[4])]
        address = township_name + row[3].removesuffix(official) + spoken  # 富楼村委会 -> 富楼村
        village = _Village(row[0], row[3], address, bool(row[4]), "", clans, groups)
        village.officer = self.surname() + self.given_name(FEMALE, self.born_at_age(30, 55))
        return village


def _insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


# --- making the rows: a stream of messages ---------------------------------------------
#
# The district is made as a stream: the layout first, then the rows of every table,
# some 20,000 persons at a time, a note of progress after each village, and last the
# search index (built apart, see store.search.build_index).  The same stream is read in
# this process for a small district, or from a second process for a large one, which
# makes the rows while this one writes them: same seed, same stream, same register.

Layout = tuple[list[tuple[Any, ...]], str, str]  # area rows, township code, device key
Rows = dict[str, list[tuple[Any, ...]]]
Message = (
    tuple[Literal["layout"], Layout]
    | tuple[Literal["rows"], Rows]
    | tuple[Literal["done"], int]
    | tuple[Literal["made"], int]
    | tuple[Literal["index"], dict[str, list[tuple[Any, ...]]]]
)
FLUSH_PERSONS = 20_000
# From this size on the rows are made by a second process: below it, starting one
# (a new interpreter that imports the program, some 0.3 s) costs more than it saves.
SECOND_PROCESS_FROM = 20_000


def _stream(seed: int, reference: dt.date, persons: int) -> Iterator[Message]:
    district = _District(seed, reference)
    townships = district.layout(persons)
    device = district.new_key()
    yield ("layout", (district.area_rows(townships), townships[0][0][0], device))
    done = 0
    for township, villages, sizes in townships:
        for row, size in zip(villages, sizes, strict=True):
            village = district.village(row, township[3], size)
            district.officer = village.officer
            made = 0
            while made < size:
                made += district.household(village, size - made)
            done += made
            if len(district.rows["person"]) >= FLUSH_PERSONS:
                yield ("rows", district.rows)
                district.rows = {t: [] for t in TABLES}
            yield ("done", done)
    yield ("rows", district.rows)
    district.rows = {t: [] for t in TABLES}
    # Every row is made: the writer builds the register's indexes while the search
    # index is built here.
    yield ("made", done)
    # Households first, then persons by band: ascending index rowid.
    keys = itertools.chain.from_iterable(district.index_keys)
    yield ("index", search.build_index(keys))


def second_process_main(argv: Sequence[str] | None = None) -> None:
    """The second process: `python -c "...second_process_main()" SEED DATE PERSONS`.

    Writes the stream to stdout, one pickled message after the other; a failure is
    sent as a message too.  Started with subprocess, not multiprocessing: a spawned
    multiprocessing child imports the caller's main script again, and a script without
    an `if __name__ == "__main__"` guard would then build a second demo.
    """
    seed, reference, persons = argv if argv is not None else sys.argv[1:]
    out = sys.stdout.buffer
    try:
        for message in _stream(int(seed), dt.date.fromisoformat(reference), int(persons)):
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
    except BaseException as exc:  # the caller re-raises it
        pickle.dump(("failed", (exc, traceback.format_exc())), out)
        out.flush()


class DemoProcessError(RuntimeError):
    """The second process failed in a way that could not be sent back (killed, say)."""

    def __init__(self, detail: str) -> None:
        self.text = Text(
            f"生成演示数据的第二个进程意外退出：{detail}",
            f"The second process making the demo's rows ended unexpectedly: {detail}",
        )
        super().__init__(str(self.text))


@contextlib.contextmanager
def _from_second_process(
    seed: int, reference: dt.date, persons: int
) -> Iterator[Iterator[Message]]:
    """The stream, made by a second process; it is ended if the reader stops early."""
    command = [
        sys.executable,
        "-c",
        "from fpdesk.store.demo import second_process_main; second_process_main()",
        str(seed),
        reference.isoformat(),
        str(persons),
    ]
    # The same modules as here, even when this program runs from a source folder.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        env=env,
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
    )
    out = process.stdout
    assert out is not None

    finished = False

    def messages() -> Iterator[Message]:
        nonlocal finished
        while True:
            try:
                message = pickle.load(out)
            except EOFError:
                raise DemoProcessError(f"exit code {process.wait()}") from None
            if message[0] == "failed":
                exc, trace = message[1]
                if isinstance(exc, BaseException):
                    raise exc from DemoProcessError(trace)
                raise DemoProcessError(trace)
            if message[0] == "index":
                finished = True
            yield message
            if finished:
                return

    try:
        yield messages()
    finally:
        if not finished:  # the reader stopped early: nothing more is wanted
            process.kill()
        out.close()
        process.wait()


def _frozen() -> bool:
    # In a frozen program (PyInstaller) sys.executable is the program itself, which
    # cannot run `-c`: the rows are made in this process.
    return bool(getattr(sys, "frozen", False)) or not sys.executable


def _flush(conn: Any, rows: Rows) -> None:
    for table in TABLES:
        if rows[table]:
            conn.executemany(_insert_sql(table), rows[table])


@contextlib.contextmanager
def _bulk_load(register: Register) -> Iterator[tuple[Any, Callable[[], None]]]:
    """One transaction into a NEW file: no capture or search triggers, no fsync till the end.

    Foreign keys are checked once at the end (PRAGMA foreign_key_check) instead of row
    by row: a household names its head and the head names the household, so during the
    load a deferred violation is always outstanding, and then SQLite scans the child
    tables (some of whose columns have no index) for every parent inserted.

    The rollback journal is kept in memory instead of the WAL: the file is new, so the
    journal is tiny, and every page is written once instead of twice (WAL, then
    checkpoint).  If the load fails the caller deletes the file anyway.  The caller
    puts the search index in (store.search.load_index) before the end, and may call
    the finisher it is given (indexes, foreign key check, search cards, commit) as
    soon as all rows are in.
    """
    conn = register.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")
    # Up to 1 GiB of pages in memory: 300,000 persons (about 600 MB) are written once,
    # at the commit, instead of being spilled, then read back and decrypted to build
    # the indexes and the cards.  Memory is taken only as the file grows.
    conn.execute("PRAGMA cache_size = -1048576")
    conn.execute("PRAGMA temp_store = MEMORY")  # the index builds sort in memory
    try:
        with register.transaction():
            capture.remove(conn)
            search.remove(conn)
            indexes = _drop_indexes(conn)

            def finish() -> None:
                while indexes:
                    conn.execute(indexes.pop(0))
                broken = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
                if broken:
                    raise AssertionError(f"the demo broke foreign keys: {broken}")
                search.write_cards(conn)
                # The rows are written out now, while the search index is still being
                # built, in a second transaction.  A failure after this still removes
                # the whole file (build_demo), so the two commits are one for the caller.
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")

            yield conn, finish
            if indexes:
                finish()
            capture.install(conn)
            search.install(conn)
    finally:
        conn.execute("PRAGMA cache_size = -2000")
        conn.execute("PRAGMA temp_store = DEFAULT")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")


def _drop_indexes(conn: Any) -> list[str]:
    """Drop the secondary indexes of the register's tables; returns how to make them again.

    Building an index once over sorted rows is cheaper than keeping it in order row by
    row while a quarter of a million rows arrive in key order of another column.  The
    definitions are read from the file, so indexes added by later migrations are kept.
    """
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' for _ in TABLES)})",
        TABLES,
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


def check_size(persons: int) -> None:
    if not MIN_PERSONS <= persons <= MAX_PERSONS:
        raise DemoSizeError(persons)


def build_demo(
    path: str | Path,
    passphrase: str,
    *,
    persons: int = 2000,
    seed: int = 1,
    reference_date: dt.date = REFERENCE_DATE,
    progress: Progress | None = None,
    second_process: bool | None = None,
) -> dict[str, int]:
    """Make a new demo register at `path`; returns the number of rows per table.

    Refuses an existing file (store.errors.RegisterExists) and a size outside
    100..1,000,000 (DemoSizeError).  On any failure the half-made file is removed.
    The rows are made by a second process from SECOND_PROCESS_FROM persons on (not in
    a frozen program); `second_process` says so explicitly.  The register is the same.
    """
    check_size(persons)
    if second_process is None:
        second_process = persons >= SECOND_PROCESS_FROM and not _frozen()
    if second_process:
        source: contextlib.AbstractContextManager[Iterator[Message]] = _from_second_process(
            seed, reference_date, persons
        )
    else:
        source = contextlib.nullcontext(_stream(seed, reference_date, persons))
    with source as messages:
        return _write(path, passphrase, messages, persons, progress)


def _write(
    path: str | Path,
    passphrase: str,
    messages: Iterator[Message],
    persons: int,
    progress: Progress | None,
) -> dict[str, int]:
    kind, layout = next(messages)
    if kind != "layout":
        raise AssertionError(f"the demo's stream starts with {kind}")
    area_rows, township, device = cast(Layout, layout)
    register = create_register(
        path, passphrase, role="township", area_code=township, device_id=device
    )
    try:
        with _bulk_load(register) as (conn, finish):
            conn.executemany(
                "INSERT INTO area_unit (code, parent_code, level, name, urban, quality_pilot, "
                "self_governance, demonstration, valid_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                "'2010-01-01')",
                area_rows,
            )
            for kind, content in messages:
                if kind == "rows":
                    _flush(conn, cast(Rows, content))
                elif kind == "done":
                    if progress is not None:
                        progress(cast(int, content), persons)
                elif kind == "made":
                    finish()  # while the search index is being built
                elif kind == "index":
                    search.load_index(conn, cast(dict[str, list[tuple[Any, ...]]], content))
                    break
        counts = {
            t: int(register.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("area_unit", *TABLES)
        }
    except BaseException:
        register.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(str(path) + suffix).unlink()
        raise
    register.close()
    return counts
