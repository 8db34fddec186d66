"""What an officer does to the register, one function per task.

The forms in the GUI and the command line call these, never SQL of their own.  Each
operation tidies what was typed (dates as 20240305 or 2024/3/5, codes as text), runs
the rules of core.validation over the record and the records it touches, and refuses
with every problem at once, keyed by field name, so a form can show each message next
to its field.  Only then does it write, and everything it writes goes in ONE
transaction: a birth that created the child but not the birth row cannot happen.
Every write goes through store.records, so the capture triggers log it as history.

The tasks live in one module per domain; callers keep importing them from here
(`from fpdesk.store import operations; operations.add_person(...)`):
- form_input: tidying what was typed, `Problems`, `FormProblems`, `checks_only`
- lookups: who holds an ID number, the marriage in force
- households: households and persons, the ethnicity a form preselects
- family: marriage, divorce, pregnancy and its outcome
- births: a birth, and a birth while an IUD or implant is on record
- contraception: methods started and stopped, contraceptives handed out
- visits: follow-up and service visits
- moves: moves of every kind, and deaths
- undo: the newest change of a record written back
- unsaved_forms: drafts of forms not saved yet
"""

from __future__ import annotations

from fpdesk.core.dates import typed as parse_date  # the forms' name for it
from fpdesk.store.operations.births import (
    BIRTH_COLUMNS,
    BIRTH_DURING_METHOD,
    METHOD_IN_PLACE_CHOICES,
    METHODS_IN_PLACE,
    BirthVerdict,
    NewBirth,
    judge_birth,
    preview_birth,
    record_birth,
)
from fpdesk.store.operations.contraception import (
    BEFORE_CURRENT_METHOD,
    CONTRACEPTION_COLUMNS,
    CONTRACEPTION_END,
    open_contraception,
    record_supply,
    start_contraception,
    stop_contraception,
)
from fpdesk.store.operations.family import (
    MARRIAGE_COLUMNS,
    NO_SPOUSE,
    PREGNANCY_COLUMNS,
    STILL_MARRIED,
    open_pregnancy,
    record_divorce,
    record_marriage,
    record_pregnancy_outcome,
    register_pregnancy,
)
from fpdesk.store.operations.form_input import (
    ALREADY_DEAD,
    ALREADY_ENDED,
    BAD_DATE,
    NOT_FOUND,
    ChecksPassed,
    Fields,
    FormProblems,
    Problems,
    checks_only,
    clean,
    required,
)
from fpdesk.store.operations.households import (
    GROUP_NO,
    HOUSEHOLD_TAKEN,
    NOT_OUR_VILLAGE,
    ONE_HEAD,
    PERSON_COLUMNS,
    SAME_ID_TWICE,
    NewHousehold,
    add_household,
    add_person,
    area_ethnicity,
    check_person,
    household_ethnicity,
    household_villages,
    next_household_sequence,
    set_area_ethnicity,
    update_person,
)
from fpdesk.store.operations.lookups import current_marriage, id_holder
from fpdesk.store.operations.moves import (
    CLOSE_QUESTION,
    CLOSED_BY_TRANSFER,
    MOVE_COLUMNS,
    PLACE_NEEDED,
    UNKNOWN_KIND,
    CloseHouseholdQuestion,
    record_death,
    record_move,
    record_move_in,
)
from fpdesk.store.operations.undo import NOTHING_TO_UNDO, undo_last_change
from fpdesk.store.operations.unsaved_forms import Draft, drafts, drop_draft, save_draft
from fpdesk.store.operations.visits import record_visit

__all__ = [
    "ALREADY_DEAD",
    "ALREADY_ENDED",
    "BAD_DATE",
    "BEFORE_CURRENT_METHOD",
    "BIRTH_COLUMNS",
    "BIRTH_DURING_METHOD",
    "CLOSED_BY_TRANSFER",
    "CLOSE_QUESTION",
    "CONTRACEPTION_COLUMNS",
    "CONTRACEPTION_END",
    "GROUP_NO",
    "HOUSEHOLD_TAKEN",
    "MARRIAGE_COLUMNS",
    "METHODS_IN_PLACE",
    "METHOD_IN_PLACE_CHOICES",
    "MOVE_COLUMNS",
    "NOTHING_TO_UNDO",
    "NOT_FOUND",
    "NOT_OUR_VILLAGE",
    "NO_SPOUSE",
    "ONE_HEAD",
    "PERSON_COLUMNS",
    "PLACE_NEEDED",
    "PREGNANCY_COLUMNS",
    "SAME_ID_TWICE",
    "STILL_MARRIED",
    "UNKNOWN_KIND",
    "BirthVerdict",
    "ChecksPassed",
    "CloseHouseholdQuestion",
    "Draft",
    "Fields",
    "FormProblems",
    "NewBirth",
    "NewHousehold",
    "Problems",
    "add_household",
    "add_person",
    "area_ethnicity",
    "check_person",
    "checks_only",
    "clean",
    "current_marriage",
    "drafts",
    "drop_draft",
    "household_ethnicity",
    "household_villages",
    "id_holder",
    "judge_birth",
    "next_household_sequence",
    "open_contraception",
    "open_pregnancy",
    "parse_date",
    "preview_birth",
    "record_birth",
    "record_death",
    "record_divorce",
    "record_marriage",
    "record_move",
    "record_move_in",
    "record_pregnancy_outcome",
    "record_supply",
    "record_visit",
    "register_pregnancy",
    "required",
    "save_draft",
    "set_area_ethnicity",
    "start_contraception",
    "stop_contraception",
    "undo_last_change",
    "update_person",
]
