"""The synthetic district's family events: marriages, pregnancies, births, papers."""

from __future__ import annotations

from fpdesk.demo import names
from fpdesk.demo.draws import (
    BIRTH_PLACES,
    BIRTH_ROWS_FROM,
    CHILDREN_WANTED,
    DETAIL_FROM,
    FEMALE,
    MALE,
    ONE_CHILD_ERA,
    THREE_CHILD,
    TWO_CHILD,
    YEAR,
    Home,
    Person,
    iso,
    year_of,
)
from fpdesk.demo.services import Services


class Events(Services):
    """Couples, their marriages and their children."""

    # --- couples and their children -----------------------------------------------

    def marriage(
        self,
        marriage_id: str,
        wife: Person,
        husband: Person | None,
        outside: tuple[str | None, ...],
        married: int,
        ended: int | None,
        reason: str,
    ) -> None:
        """The marriage row; `outside` is the spouse registered elsewhere, if any, and
        `reason` why it ended, if it did."""
        self.add(
            "marriage",
            (
                marriage_id,
                wife.id,
                husband.id if husband else None,
                *outside,
                iso(married),
                iso(ended) if ended else None,
                reason if ended else None,
            ),
        )

    def marriage_date(self, wife_born: int, husband_born: int) -> int | None:
        """Married when she was 20-27 and he at least 22 (the legal ages); None if not yet."""
        married = wife_born + int(self.rng.uniform(20, 27.5) * YEAR)
        married = max(married, husband_born + int(22 * YEAR) + 30)
        return married if married <= self.today - 30 else None

    def couple(
        self,
        home: Home,
        wife: Person,
        husband: Person | None,
        husband_born: int,
        married: int,
        *,
        divorced: bool = False,
        registered_at: str | None = None,
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
        self.marriage(marriage_id, wife, husband, outside, married, ended, "divorce")
        if settled:
            self.marriage_move(wife, married)
        surname = husband.surname if husband else (outside[0] or "王")[:1]
        births, due = self.schedule(wife.born, married, ended)
        kids = self.children(home, births, surname, registered_at or self.county6, settled)
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
        home: Home,
        wife: Person,
        husband: Person | None,
        husband_born: int,
        married: int,
        known: tuple[list[tuple[int, int]], Person | None] | None = None,
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
        self.marriage(marriage_id, wife, husband, outside, married, end, "widowed")
        if wife.born < BIRTH_ROWS_FROM:
            return
        if known is None:
            births, _ = self.schedule(wife.born, married, None)
            kids: list[Person | None] = [None] * len(births)
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

    def former_marriage(self, person: Person, other_sex: int) -> None:
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

    def marriage_move(self, wife: Person, married: int) -> None:
        """A bride from another county moved her registration here on marriage."""
        if wife.id_number[:6] == self.county6 or married < self.today - int(6 * YEAR):
            return
        moved = min(self.today - 1, married + self.between(0, 90))
        wife.since = moved
        self.add("move", (self.new_key(), wife.id, "transfer_in", iso(moved), "婚前户籍地", "婚迁"))

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
        home: Home,
        births: list[tuple[int, int]],
        surname: str,
        registered_at: str,
        settled: bool,
    ) -> list[Person | None]:
        """Which children live in the household; grown daughters have mostly married away."""
        kids: list[Person | None] = []
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
        mother: Person,
        father: Person | None,
        marriage_id: str,
        births: list[tuple[int, int]],
        kids: list[Person | None],
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

    def paper(self, woman: Person, marriage_id: str, kind: str, issued: int) -> str:
        """A certificate row; returns its number."""
        number = self.doc_number(issued)
        self.add("certificate", (self.new_key(), woman.id, marriage_id, kind, number, iso(issued)))
        return number

    def past_pregnancy(self, mother: Person, marriage_id: str, born: int) -> tuple[str, str]:
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

    def pregnancy_in_progress(self, wife: Person, marriage_id: str, due: int) -> None:
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
