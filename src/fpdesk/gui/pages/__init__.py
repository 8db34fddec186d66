"""The pages beside the household list: what the officer reads before she writes.

record_page.py has what both pages share (and the read-only table every list uses),
household_page.py the household and its people, person_page.py a person and her
timeline.  The names stay importable from here (`from fpdesk.gui.pages import
HouseholdPage, PersonPage, make_table`), as before the pages had files of their own.
"""

from fpdesk.gui.pages.household_page import HouseholdPage, MembersModel
from fpdesk.gui.pages.person_page import PERSON_FORMS, PersonPage, TimelineModel
from fpdesk.gui.pages.record_page import RecordPage, details, heading, make_table

__all__ = [
    "PERSON_FORMS",
    "HouseholdPage",
    "MembersModel",
    "PersonPage",
    "RecordPage",
    "TimelineModel",
    "details",
    "heading",
    "make_table",
]
