"""The names the window's code used before the read layer moved below it (kept so that
`from fpdesk.gui import queries` still works): no SQL here.

What the window reads from the register is in store.reading (villages, households,
persons, timelines), which the printouts and reports read too.
"""

from __future__ import annotations

from fpdesk.core.codes import label_or_code as code_label
from fpdesk.core.idnumber import mask_id_number as mask_id
from fpdesk.store.areas import name as area_name
from fpdesk.store.reading.households import CHILDBEARING_AGES, Member, household
from fpdesk.store.reading.households import members_at_a_glance as members
from fpdesk.store.reading.persons import age_on, person
from fpdesk.store.reading.timelines import Event, timeline
from fpdesk.store.reading.villages import Village, groups, villages

__all__ = [
    "CHILDBEARING_AGES",
    "Event",
    "Member",
    "Village",
    "age_on",
    "area_name",
    "code_label",
    "groups",
    "household",
    "mask_id",
    "members",
    "person",
    "timeline",
    "villages",
]
