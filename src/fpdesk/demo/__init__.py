"""The synthetic district: a deterministic, realistic register of any size.

`build_demo` makes a new encrypted register holding one made-up county of Guangxi:
townships, villages and village groups in the 12-digit code structure, households of
plausible composition, persons with valid ID numbers, marriages, births (2015-2026 in
detail, earlier ones too so that birth orders come out right), pregnancies in
progress, contraception episodes, supplies, visits (some overdue), moves of every kind
(core.population: 流出 and some 返回, 迁出 on marriage or to study, brides' 迁入, families
floating in and some leaving again) and deaths.

The same seed gives the same register, row for row: every random draw, including the
random part of each UUIDv7 key, comes from one `random.Random(seed)`, and the key
timestamps are a fixed sequence.  Only register_info (created_at) differs.

The register is a township register (store.db knows only village and township roles):
its area code is the first township's, and area_unit lists the whole county, so the
township workspace and the indicators have several townships' worth of data.

The load is one transaction with the change-capture triggers removed (a demo has no
history to send anywhere), so the change log of a fresh demo is empty.

A large district's rows are made by a second process while this one writes them, and
its search index is built there too, into a scratch file, from keys spooled to disk as
the rows are made (see demo.processes and store.search.build_index): making rows,
writing them and indexing them each took a third of the time, and a machine has at
least two cores.  Nothing grows with the district but the file: a million persons
take under 1 GB of memory in the two processes together (benchmarks/bench_demo.py).

A layer of its own above store (beside sync): it uses store and core, and nothing in
store uses it.  Made in layers, one module each: demo.names (the words), demo.draws
(tables, weighted draws, persons), demo.services, demo.events (couples, births),
demo.people (households), demo.district (the county, and the rows as a stream),
demo.processes (the second process) and demo.build (the new register file).
"""

from fpdesk.demo.build import DemoSizeError, build_demo, check_size
from fpdesk.demo.district import FLUSH_PERSONS, District
from fpdesk.demo.draws import COLUMNS, MAX_PERSONS, MIN_PERSONS, REFERENCE_DATE, TABLES, uuid7
from fpdesk.demo.processes import SECOND_PROCESS_FROM, DemoProcessError

__all__ = [
    "COLUMNS",
    "FLUSH_PERSONS",
    "MAX_PERSONS",
    "MIN_PERSONS",
    "REFERENCE_DATE",
    "SECOND_PROCESS_FROM",
    "TABLES",
    "DemoProcessError",
    "DemoSizeError",
    "District",
    "build_demo",
    "check_size",
    "uuid7",
]
