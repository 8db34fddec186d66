"""The synthetic county: its townships, villages and their sizes, and the district
made as a stream of messages (layout, rows, progress, search index)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, Literal

from fpdesk.demo import names
from fpdesk.demo.draws import (
    COLUMNS,
    FEMALE,
    TABLES,
    Township,
    Village,
)
from fpdesk.demo.people import People
from fpdesk.store import search


class District(People):
    """The generator: the county laid out, and every village's households made."""

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
        county = self.county[0]
        taken: set[str] = set()
        town_no, xiang_no = 100, 200
        while sizes:
            count = min(len(sizes), self.between(8, 18))
            chunk, sizes = sizes[:count], sizes[count:]
            # Towns are numbered 100-199 and townships (乡) 200-399: past a hundred
            # towns (some 2.5 million persons) the rest are townships.
            is_town = len(townships) % 4 != 3 and town_no < 200
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
            (self.county[0], names.PREFECTURE[0], "county", self.county[1], 0, 0, 0, 0),
        ]
        for township, villages, _ in townships:
            rows.append(township)
            rows.extend(villages)
        return rows

    def take_rows(self) -> Rows:
        """The rows made so far (table -> rows in COLUMNS' order), handed over."""
        rows, self.rows = self.rows, {t: [] for t in TABLES}
        return rows

    def village(self, row: tuple[Any, ...], township_name: str, persons: int) -> Village:
        clans = [self.surname() for _ in range(self.between(1, 3))]
        groups = max(1, min(99, round(persons / 110)))
        official, spoken = names.VILLAGE_SUFFIX[bool(row[4])]
        address = township_name + row[3].removesuffix(official) + spoken  # 富楼村委会 -> 富楼村
        village = Village(row[0], row[3], address, bool(row[4]), "", clans, groups)
        village.officer = self.surname() + self.given_name(FEMALE, self.born_at_age(30, 55))
        return village


def insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


# --- making the rows: a stream of messages ---------------------------------------------
#
# The district is made as a stream: the layout first, then the rows of every table,
# some 20,000 persons at a time, a note of progress after each village, and last the
# search index (built apart into a scratch file, see store.search.build_index).  The
# same stream is read in this process for a small district, or from a second process
# for a large one, which makes the rows while this one writes them: same seed, same
# stream, same register.

Layout = tuple[list[tuple[Any, ...]], str, str]  # area rows, township code, device key
Rows = dict[str, list[tuple[Any, ...]]]
Message = (
    tuple[Literal["layout"], Layout]
    | tuple[Literal["rows"], Rows]
    | tuple[Literal["done"], int]
    | tuple[Literal["made"], int]
    | tuple[Literal["index"], str]
)
FLUSH_PERSONS = 20_000


def stream(
    seed: int, reference: dt.date, persons: int, index: str | Path
) -> Generator[Message, None, None]:
    """The district's messages; the search index is built into the new file `index`."""
    district = District(seed, reference)
    keys = district.index_keys
    keys.folder = str(Path(index).parent)  # the build's scratch folder
    try:
        yield from _rows(district, persons)
        # Every row is made: the writer builds the register's indexes while the search
        # index is built here, with the generator's memory (ID sequences, caches)
        # given back first.
        del district
        # Households first, then persons by band: ascending index rowid.
        search.build_index(keys, index)
        yield ("index", str(index))
    finally:  # also when the reader stops early
        keys.close()


def _rows(district: District, persons: int) -> Iterator[Message]:
    townships = district.layout(persons)
    device = district.new_key()
    yield ("layout", (district.area_rows(townships), townships[0][0][0], device))
    done = 0
    for _, done in villages_made(district, townships):
        if len(district.rows["person"]) >= FLUSH_PERSONS:
            yield ("rows", district.take_rows())
        yield ("done", done)
    yield ("rows", district.take_rows())
    yield ("made", done)


def villages_made(district: District, townships: list[Township]) -> Iterator[tuple[Township, int]]:
    """Every village's households made into `district.rows`, in the layout's order;
    after each village (its township, the persons made so far).  The register demo
    and the demo city (demo.city) both make their rows here: same seed, same rows."""
    done = 0
    for township in townships:
        row, villages, sizes = township
        for village_row, size in zip(villages, sizes, strict=True):
            village = district.village(village_row, row[3], size)
            district.officer = village.officer
            made = 0
            while made < size:
                made += district.household(village, size - made)
            done += made
            yield township, done
