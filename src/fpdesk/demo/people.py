"""The synthetic district's households: who lives together, kept if they fit the village."""

from __future__ import annotations

from fpdesk.core import area
from fpdesk.demo import names
from fpdesk.demo.draws import (
    ELDERLY_AGE,
    FEMALE,
    HOUSEHOLD_KINDS,
    MALE,
    NUCLEAR_WIFE_AGE,
    YEAR,
    Home,
    Person,
    Village,
    iso,
)
from fpdesk.demo.events import Events
from fpdesk.store import search


class People(Events):
    """Households of every kind, and their rows."""

    # --- households --------------------------------------------------------------

    def household(self, village: Village, left: int) -> int:
        """Build one household that fits in `left` persons; returns its size."""
        for attempt in range(4):
            marks = {t: len(rows) for t, rows in self.rows.items()}
            kind = "single" if attempt == 3 else HOUSEHOLD_KINDS.pick(self.rng)
            home = Home(self.new_key(), village)
            getattr(self, "_" + kind)(home)
            if len(home.members) <= left:
                self.commit(home)
                return len(home.members)
            for table, mark in marks.items():
                del self.rows[table][mark:]
        raise AssertionError("a single-person household always fits")

    def commit(self, home: Home) -> None:
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
        self.index_keys.append(
            search.HOUSEHOLD_BAND, search.index_rowid(search.HOUSEHOLD_BAND, row), household_keys
        )
        for p in home.members:
            died = p.died
            self.persons_kept += 1
            row = self.persons_kept
            band = search.person_band(died is not None, p.status)
            id_number = p.id_number.lower()
            keys = f"{search.name_keys(p.name)} d{id_number} r{id_number[::-1]} {household_keys}"
            self.index_keys.append(band, search.index_rowid(band, row), keys)
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

    def _nuclear(self, home: Home) -> None:
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

    def _stem(self, home: Home) -> None:
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
        father: Person | None = None
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
        home: Home,
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

    def _elderly(self, home: Home) -> None:
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

    def _single(self, home: Home) -> None:
        rng = self.rng
        sex = MALE if rng.random() < 0.8 else FEMALE
        person = self.person(home, sex, self.born_at_age(25, 66), 0)
        if rng.random() < 0.3:  # divorced, the former spouse lives elsewhere
            other = FEMALE if sex == MALE else MALE
            self.former_marriage(person, other)
        self.maybe_floats_out(person)

    def _floating(self, home: Home) -> None:
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
        return self.county6 if self.rng.random() < 0.55 else self.rng.choice(names.NEARBY)
