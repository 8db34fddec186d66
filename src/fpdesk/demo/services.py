"""The synthetic district's services: visits, contraception, supplies, examinations."""

from __future__ import annotations

import datetime as dt
import itertools

from fpdesk.core.schedules import add_months
from fpdesk.demo import names
from fpdesk.demo.draws import (
    DETAIL_FROM,
    METHODS_NO_CHILD,
    METHODS_ONE_CHILD,
    METHODS_TWO_CHILDREN,
    METHODS_TWO_CHILDREN_OLDER,
    YEAR,
    Draws,
    Person,
    iso,
    ordinal,
    year_of,
)


class Services(Draws):
    """Visits and contraception for the persons made."""

    # --- services -----------------------------------------------------------------

    def visit(
        self,
        person: Person,
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
        self, woman: Person, pregnancy_id: str, registered: int, until: int | None
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

    def postnatal_visits(self, mother: Person, birth_id: str, born: int) -> None:
        """Visits on the schedule's days after the delivery, nearly all of them made."""
        for days in self.plan.postnatal.days:
            on = born + days + self.between(-2, 4)
            if on < self.today and self.rng.random() < 0.96:
                self.visit(mother, "postnatal", on, "母婴健康", ("birth", birth_id))

    def followups(
        self, person: Person, episode_id: str, method: str, started: int, stop: int | None
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
        dues = [(ordinal(add_months(start, m)), kind) for m, kind in plan]
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
        wife: Person,
        husband: Person | None,
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
        wife: Person,
        user: Person | None,
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

    def supplies(self, wife: Person, method: str, start: int) -> None:
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

    def exam(self, wife: Person, married: int) -> None:
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
            due = ordinal(add_months(dt.date.fromordinal(day), every))
            late = self.lateness(due)
            if late is None:
                return
            day = due + late
