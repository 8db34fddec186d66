"""What the window, the printouts and the reports read from the register: read-only
queries, no Qt, no writing, named for what they read.

    villages        the villages with households, and their groups (the area tree)
    households      one household with its head; a village's households; a household's
                    members, and what the officer sees of each at a glance
    household_list  the long household list the window scrolls, read a page at a time
    persons         one person, a name, a woman's possible spouses, age on a day
    timelines       everything that happened to one person, oldest first
    events          everything that happened in a village in a period (the change list)

Everything is read with SQL over indexed columns, never by loading a whole table into
Python.  Labels and layout stay with whoever shows them (gui, reports).
"""
