"""The SQLite register: one SQLCipher-encrypted file per register."""
