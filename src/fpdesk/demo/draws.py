"""The synthetic district's building blocks: sizes, tables, weighted draws, and the
one random stream with its small draws and the persons made from them."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, Generic, TypeVar

from fpdesk.core import idnumber
from fpdesk.core.codes import method as method_facts
from fpdesk.core.schedules import schedules
from fpdesk.demo import names
from fpdesk.store import tables

MIN_PERSONS = 100
# Up to a city's worth (the district and city levels of the reports); a county
# this large runs out of town numbers: see District.layout.
MAX_PERSONS = 3_000_000
REFERENCE_DATE = dt.date(2026, 11, 1)
COUNTY = names.COUNTY[0][:6]

Progress = Callable[[int, int], None]
T = TypeVar("T")
# (township area row, its village area rows, persons per village)
Township = tuple[tuple[Any, ...], list[tuple[Any, ...]], list[int]]

# The columns the district fills, from store.tables (one list per table): all but the
# tombstone and what it leaves empty.  Households and persons also get their rowid,
# which the search index's rows are numbered by.
_LEFT_EMPTY: dict[str, tuple[str, ...]] = {
    "household": ("note", "closed_on", "close_reason"),
    "person": ("legacy_id15", "note"),
    "marriage": (),
    "pregnancy": ("note",),
    "birth": ("child_relation", "note"),
    "contraception": ("note",),
    "supply": (),
    "visit": ("note",),
    "move": (),
    "certificate": ("note",),
}
COLUMNS: dict[str, tuple[str, ...]] = {
    table: (
        *(("rowid",) if table in ("household", "person") else ()),
        *tables.columns(table, leaving_out=("deleted", *empty)),
    )
    for table, empty in _LEFT_EMPTY.items()
}
TABLES = tuple(COLUMNS)

YEAR = 365.2425
MALE, FEMALE = idnumber.MALE, idnumber.FEMALE
ordinal = dt.date.toordinal
DETAIL_FROM = ordinal(dt.date(2015, 1, 1))  # births from here on get pregnancies and papers
TWO_CHILD = ordinal(dt.date(2016, 1, 1))
THREE_CHILD = ordinal(dt.date(2021, 8, 20))
ONE_CHILD_ERA = ordinal(dt.date(2000, 1, 1))
BIRTH_ROWS_FROM = ordinal(dt.date(1960, 1, 1))  # mothers born earlier: children not itemised

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


class Mix(Generic[T]):
    """A weighted choice, with the running totals computed once (random.choices redoes
    them on every call, and the demo draws millions of times)."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = list(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]


# Household kinds, with the shares that give a rural county's composition.
HOUSEHOLD_KINDS = Mix(
    [("nuclear", 46), ("stem", 33), ("elderly", 11), ("single", 6), ("floating", 4)]
)
# Age of the wife in a nuclear household, by five-year band; of the old in an old one.
NUCLEAR_WIFE_AGE = Mix(list(zip(range(20, 65, 5), (4, 7, 10, 11, 10, 11, 12, 9, 6), strict=True)))
ELDERLY_AGE = Mix(list(zip(range(60, 95, 5), (25, 24, 20, 14, 9, 5, 3), strict=True)))
# Children wanted, by the mother's generation (rural fertility, fewer over time).
CHILDREN_WANTED = (
    (1965, Mix([(1, 10), (2, 55), (3, 30), (4, 5)])),
    (1980, Mix([(0, 3), (1, 30), (2, 60), (3, 7)])),
    (1990, Mix([(0, 4), (1, 38), (2, 53), (3, 5)])),
    (9999, Mix([(0, 8), (1, 45), (2, 42), (3, 5)])),
)
BIRTH_PLACES = Mix([("hospital", 70), ("health_center", 28), ("home", 2)])
# The method chosen after the last child: IUD first, sterilisation after two children.
METHODS_NO_CHILD = Mix([("condom", 50), ("pill", 15), ("iud", 10), ("none", 25)])
METHODS_ONE_CHILD = Mix(
    [("iud", 70), ("condom", 15), ("pill", 4), ("implant", 5), ("injection", 2), ("none", 4)]
)


def _methods_after_two(sterilisation: int) -> Mix[str]:
    return Mix(
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


class Person:
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


class Village:
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


class Home:
    """One household being assembled; nothing is kept unless it fits the quota."""

    def __init__(self, hid: str, village: Village) -> None:
        self.id = hid
        self.village = village
        self.members: list[Person] = []


class KeySpool:
    """The search index's (index rowid, keys) rows, kept by band in temporary files.

    The index takes its rows in ascending rowid (households first, then persons by
    band) while the district makes them village by village: they wait on disk, not in
    memory (at a million persons, as Python strings, they took some 600 MB).
    """

    BANDS = 4

    def __init__(self) -> None:
        # Opened at the first row, in `folder` when one is given (the build's scratch
        # folder: on Windows a temporary file has a name in its folder until closed, so
        # they are kept where everything of the build goes away together); close()
        # (after the index is built) ends them.
        self.folder: str | None = None
        self._open: list[IO[str]] = []

    @property
    def _files(self) -> list[IO[str]]:
        if not self._open:
            self._open = [
                tempfile.TemporaryFile(  # noqa: SIM115
                    "w+", encoding="utf-8", newline="\n", dir=self.folder
                )
                for _ in range(self.BANDS)
            ]
        return self._open

    def append(self, band: int, rowid: int, keys: str) -> None:
        # Keys are tokens separated by spaces: never a tab or a line end.
        self._files[band].write(f"{rowid}\t{keys}\n")

    def __iter__(self) -> Iterator[tuple[int, str]]:
        """Every row, band by band, each band in the order appended (ascending)."""
        for file in self._files:
            file.seek(0)
            for line in file:
                rowid, keys = line.rstrip("\n").split("\t", 1)
                yield int(rowid), keys

    def close(self) -> None:
        for file in self._open:
            file.close()


class Draws:
    """The generator's base: one random stream, one synthetic clock for the keys.

    The generator is one class built in layers, one module each: draws and persons
    (here), services (demo.services), couples and their children (demo.events),
    households (demo.people), the county (demo.district).
    """

    def __init__(
        self, seed: int, reference: dt.date, county: tuple[str, str] = names.COUNTY
    ) -> None:
        self.rng = random.Random(seed)
        # The county made (12-digit code, name): the register demo's, or one district
        # of the demo city (demo.city); its first six digits begin the natives' ID numbers.
        self.county = county
        self.county6 = county[0][:6]
        self.today = ordinal(reference)
        # Keys are UUIDv7 with a fixed timestamp sequence starting a year before the
        # reference date, one millisecond apart: same seed, same keys.
        start = dt.datetime.combine(reference, dt.time(), tzinfo=dt.UTC) - dt.timedelta(days=365)
        self.ms = int(start.timestamp() * 1000)
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
        # The next ID sequence number, by address, then by birth day and sex (one int,
        # not a tuple: a million persons leave some 700,000 of them).
        self.id_sequence: dict[str, dict[int, int]] = {}
        self.address_sums: dict[str, int] = {}
        self.date_sums: dict[int, tuple[str, int]] = {}
        self.doc_counter = 0
        self.surname_mix = Mix(names.SURNAMES)
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
        self.index_keys = KeySpool()

    # --- small draws ------------------------------------------------------------

    def between(self, low: int, high: int) -> int:
        """random.randint without its three layers of calls: the demo makes millions."""
        return low + int(self.rng.random() * (high - low + 1))

    def new_key(self) -> str:
        self.ms += 1
        return uuid7(self.ms, self.rng.getrandbits(80))

    def surname(self, village: Village | None = None) -> str:
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
        sequences = self.id_sequence.get(address)
        if sequences is None:
            sequences = self.id_sequence[address] = {}
        key = born * 2 + (sex == MALE)
        sequence = sequences.get(key)
        if sequence is None:
            sequence = 2 * self.rng.randrange(0, 120) + (1 if sex == MALE else 2)
        if sequence > 999:
            raise RuntimeError(f"more than 500 persons of one sex born {iso(born)} in {address}")
        sequences[key] = sequence + 2
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
        return f"{self.county6}{year_of(on)}{self.doc_counter:06d}"

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
        home: Home,
        sex: int,
        born: int,
        rel: int,
        *,
        surname: str | None = None,
        address: str | None = None,
    ) -> Person:
        family = surname or self.surname(home.village)
        person = Person(self.new_key(), family, family + self.given_name(sex, born), sex, born)
        person.rel = rel
        person.id_number = self.id_number(address or self.county6, born, sex)
        if home.village.urban and self.rng.random() < 0.6:
            person.reg = 1
        roll = self.rng.random()
        person.eth = "08" if roll < 0.35 else "13" if roll < 0.38 else "01"
        if 18 <= self.age(born) < 66 and self.rng.random() < 0.6:
            person.phone = self.phone()
        home.members.append(person)
        return person

    def maybe_floats_out(self, person: Person) -> None:
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

    def maybe_died(self, person: Person, chance: float) -> bool:
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
