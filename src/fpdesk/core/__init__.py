"""The domain in pure Python: no Qt, no SQL."""
