"""Keys and enrollment, signed and encrypted change bundles, the township merge.

The file format is described in docs/bundle-format.md.  Entry points:
`keys` (a register's own keys), `enrollment` (pairing a village laptop with the
township), `bundles` (export, verify, import), `conflicts` (the clerk's queue).
"""
