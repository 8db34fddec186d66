"""Who counts where on a day: the one definition every number of fpdesk uses.

Two kinds of event, never to be confused (domain.md section 1):

- registration (户籍) events move a person's hukou: 迁入 `transfer_in` (registered here
  from that day) and 迁出 `transfer_out` (registered elsewhere from that day);
- residence events change only where a person lives: 流出 `float_out` (registered here,
  living elsewhere) and 返回 `return` (back); 流入 `float_in` (living here, registered
  elsewhere) and 离开 `leave` (gone again).

On any day a person of a register is in one of four states: `here` (户在人在),
`float_out` (户在人不在, 流出), `float_in` (人在户不在, 流入) or `gone` (neither: not
yet come, moved the hukou away, or left).  From the states:

- registered population (户籍人口) = here + floating out;
- resident population (常住人口) = here + floating in;
- the floating-in (流入人口) alone: the services given to them are the residence
  place's work and are reported on their own lines, never in the registered figures.

A move takes effect on its own date: a person who floats out on 1 March is away at the
end of 1 March.  Alive on a day means born on or before it and not dead by it.

Pure Python: the store reads the moves (store.population) and every output asks here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from fpdesk.core.dates import add_years
from fpdesk.core.i18n import Text

HERE = "here"
FLOAT_OUT = "float_out"
FLOAT_IN = "float_in"
GONE = "gone"
STATES = (HERE, FLOAT_OUT, FLOAT_IN, GONE)

REGISTERED = "registered"
RESIDENT = "resident"
FLOATING_IN = "floating_in"
# Which states each population basis counts.
BASES: dict[str, frozenset[str]] = {
    REGISTERED: frozenset({HERE, FLOAT_OUT}),
    RESIDENT: frozenset({HERE, FLOAT_IN}),
    FLOATING_IN: frozenset({FLOAT_IN}),
}
BASIS_LABELS = {
    REGISTERED: Text("户籍人口", "registered population"),
    RESIDENT: Text("常住人口", "resident population"),
    FLOATING_IN: Text("流入人口", "floating-in population"),
}

TRANSFER_IN = "transfer_in"
TRANSFER_OUT = "transfer_out"
RETURN = "return"
LEAVE = "leave"
REGISTRATION_KINDS = (TRANSFER_IN, TRANSFER_OUT)
RESIDENCE_KINDS = (FLOAT_OUT, RETURN, FLOAT_IN, LEAVE)
KINDS = REGISTRATION_KINDS + RESIDENCE_KINDS


@dataclass(frozen=True)
class Rule:
    before: frozenset[str]  # the states the move can start from
    after: str  # the state it leads to
    first_before: str  # the state before it when it is the person's first move
    needs_place: bool  # where to (迁出, 流出) or where from (迁入, 流入)


RULES: dict[str, Rule] = {
    # 迁入: from nowhere, or a floating-in person settles her hukou here.
    TRANSFER_IN: Rule(frozenset({GONE, FLOAT_IN}), HERE, GONE, True),
    # 迁出: the hukou leaves, whether she lived here or was away already.
    TRANSFER_OUT: Rule(frozenset({HERE, FLOAT_OUT}), GONE, HERE, True),
    FLOAT_OUT: Rule(frozenset({HERE}), FLOAT_OUT, HERE, True),
    RETURN: Rule(frozenset({FLOAT_OUT}), HERE, FLOAT_OUT, False),
    FLOAT_IN: Rule(frozenset({GONE}), FLOAT_IN, GONE, True),
    LEAVE: Rule(frozenset({FLOAT_IN}), GONE, FLOAT_IN, False),
}

# person.residence_status (the state shown on the person's record) <-> state.  A person
# with no move at all is in the state her record says.
STATE_OF_RESIDENCE = {"here": HERE, "out": FLOAT_OUT, "in": FLOAT_IN}
RESIDENCE_OF_STATE = {HERE: "here", FLOAT_OUT: "out", FLOAT_IN: "in"}

History = Sequence[tuple[str, str]]  # (moved_on, kind), in date order
Histories = Mapping[str, History]


def state_on(history: History, day: str, residence_status: str = "here") -> str:
    """A person's state at the end of `day`, from her dated moves.

    The last move on or before the day decides; before her first move she was in the
    state that move starts from; with no move at all, her record's residence status.
    """
    if not history:
        return STATE_OF_RESIDENCE.get(residence_status, HERE)
    last: str | None = None
    for moved_on, kind in history:
        if moved_on > day:
            break
        last = kind
    if last is None:
        return RULES[history[0][1]].first_before
    return RULES[last].after


def alive_on(birth_date: str, death_date: str | None, day: str) -> bool:
    """Born by the end of `day` and not dead by it (a death on the day ends the count)."""
    return birth_date <= day and (death_date is None or death_date > day)


def age_band(day: str, youngest: int = 15, oldest: int = 49) -> tuple[str, str]:
    """(born after, born on or before): aged `youngest`-`oldest` on `day` means the
    birthday of `youngest` has come and that of `oldest` + 1 has not.  A woman of
    childbearing age (育龄妇女) is 15-49."""
    when = dt.date.fromisoformat(day)
    return years_before(when, oldest + 1), years_before(when, youngest)


def in_age_band(birth_date: str, day: str, youngest: int = 15, oldest: int = 49) -> bool:
    after, by = age_band(day, youngest, oldest)
    return after < birth_date <= by


def years_before(day: dt.date, years: int) -> str:
    return add_years(day, -years).isoformat()


def counts(basis: str, state: str) -> bool:
    """Whether a person in `state` belongs to the population `basis`."""
    return state in BASES[basis]


def person_counts(
    basis: str,
    history: History,
    day: str,
    *,
    residence_status: str,
    birth_date: str,
    death_date: str | None,
) -> bool:
    return alive_on(birth_date, death_date, day) and counts(
        basis, state_on(history, day, residence_status)
    )


# --- checking a new move --------------------------------------------------------------

NOT_FROM = {
    TRANSFER_IN: Text(
        "此人当日已在本地户籍中（户在或流出），不能再迁入：同一天不能在两处登记户口。",
        "already registered here on that day (living here or floating out): a person "
        "cannot be registered in two places on one day.",
    ),
    TRANSFER_OUT: Text(
        "此人当日户口不在本地，不能迁出。", "not registered here on that day: nothing to move out."
    ),
    FLOAT_OUT: Text(
        "此人当日不是户在人在，不能登记流出（已流出的请先登记返回）。",
        "not registered and living here on that day, so cannot float out "
        "(someone already away must return first).",
    ),
    RETURN: Text(
        "此人当日没有流出记录，不能登记返回：请先核对流出日期。",
        "had not floated out by that day, so cannot return: check the date she left.",
    ),
    FLOAT_IN: Text(
        "此人当日已在本地户籍或已登记流入，不能再登记流入。",
        "already registered here or floating in on that day: cannot float in again.",
    ),
    LEAVE: Text(
        "此人当日不是流入人口，不能登记离开。",
        "was not floating in on that day, so cannot leave.",
    ),
}
LATER_CLASH = Text(
    "与{day}的{kind}记录矛盾：请按日期顺序登记，或先更正那条记录。",
    "contradicts the {kind} recorded on {day}: record moves in date order, or correct "
    "that record first.",
)
KIND_LABELS = {
    TRANSFER_IN: Text("迁入", "transfer in"),
    TRANSFER_OUT: Text("迁出", "transfer out"),
    FLOAT_OUT: Text("流出", "float out"),
    RETURN: Text("返回", "return"),
    FLOAT_IN: Text("流入", "float in"),
    LEAVE: Text("离开", "leave"),
}


def check_new_move(
    history: History, residence_status: str, kind: str, day: str, *, newcomer: bool = False
) -> Text | None:
    """Why a move of `kind` on `day` cannot be added to a person's history, or None.
    A `newcomer` (a person entered with this move) starts outside the register.

    The whole history with the new move in it must be a chain of allowed steps: a 返回
    needs a 流出 before it, a 迁入 cannot come while she is still registered here, and
    a move cannot be slipped in before a later move it contradicts.
    """
    rule = RULES[kind]
    if newcomer:
        start = GONE
    elif not history:
        start = STATE_OF_RESIDENCE.get(residence_status, HERE)
    else:
        start = state_on(history, day, residence_status)
    if start not in rule.before:
        return NOT_FROM[kind]
    state = rule.after
    for moved_on, later in history:
        if moved_on <= day:
            continue
        if state not in RULES[later].before:
            return Text(
                LATER_CLASH.zh.format(day=moved_on, kind=KIND_LABELS[later].zh),
                LATER_CLASH.en.format(day=moved_on, kind=KIND_LABELS[later].en),
            )
        state = RULES[later].after
    return None


def broken_step(history: History) -> int | None:
    """The index of the first move of a history that its state before does not allow
    (a 返回 without a 流出, a second 迁入...), or None when the chain holds."""
    if not history:
        return None
    state = RULES[history[0][1]].first_before
    for index, (_, kind) in enumerate(history):
        rule = RULES[kind]
        if state not in rule.before:
            return index
        state = rule.after
    return None


def with_move(history: History, day: str, kind: str) -> list[tuple[str, str]]:
    """The history with a new move added after every move of its day or before (moves of
    one day follow each other in the order they were recorded)."""
    at = sum(1 for moved_on, _ in history if moved_on <= day)
    return [*history[:at], (day, kind), *history[at:]]


def final_state(history: History, residence_status: str) -> str:
    """The state after the last move (what the person's record shows today)."""
    if not history:
        return STATE_OF_RESIDENCE.get(residence_status, HERE)
    return RULES[history[-1][1]].after


# --- registers made before registration and residence were told apart -----------------


def upgrade_legacy(history: Iterable[tuple[str, str]], residence_status: str) -> list[str]:
    """New kinds for one person's moves made by fpdesk 0.1 (kinds `in` and `out`).

    0.1 had one pair of kinds for everything.  `record_move` wrote `out` for 流出
    (registered here, living elsewhere: it set the residence status to out) and `in`
    for the way back; `record_move_in` wrote `in` for a new person joining a household
    (a 迁入), and the 0.1 demo wrote `in` for families floating in.  So, in date order:
    `out` is 流出; an `in` while floated out is 返回; an `in` of a person whose record
    says floating in, before any 流出, is 流入; any other `in` is 迁入.
    """
    out: list[str] = []
    state: str | None = None
    for _, kind in history:
        if kind == "out":
            new = FLOAT_OUT
        elif kind == "in" and state == FLOAT_OUT:
            new = RETURN
        elif kind == "in" and residence_status == "in":
            new = FLOAT_IN
        elif kind == "in":
            new = TRANSFER_IN
        else:
            new = kind
        out.append(new)
        state = RULES[new].after if new in RULES else state
    return out
