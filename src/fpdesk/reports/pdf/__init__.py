"""Printed registers, cards and sheets (PDF, A4, Chinese font embedded).

Each printout is a module with one entry function taking the open register, what to
print and a `PrintOptions`; all share the page furniture in `layout` and the font
choice in `fonts`.  Pages are made one household (or woman, or group) at a time, so a
large village does not have to fit in memory at once.
"""
