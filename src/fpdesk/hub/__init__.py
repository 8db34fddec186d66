"""The district hub: the district office's PostgreSQL database that the townships
report up to (docs/hub.md).

A layer beside sync: it may use store, sync and core, never the window.  psycopg 3
is the driver; without a URL the server is an embedded PostgreSQL in the user's data
folder (hub.server), started and stopped by fpdesk.
"""
