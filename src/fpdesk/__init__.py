"""fpdesk: an offline register for village family-planning and reproductive-health work."""

__version__ = "0.1.0"
