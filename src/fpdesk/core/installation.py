"""What an installed fpdesk must carry besides its code: the packed data files.

A frozen build can start and still lack its code tables.  `fpdesk selftest` (the
installer's smoke test) runs `check_resources` from the command line
(commands.selftest) with the window's own checks (gui.selftest), which use
`package_file` for the icons and translations too.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

# The tables every form and report reads: the build that lacks one is broken.
NEEDED_TABLES = ("sex", "marital_status", "contraceptive_method", "visit_type")


def package_file(*parts: str) -> Path:
    """A file shipped inside the fpdesk package (src/fpdesk/resources/...)."""
    return Path(str(resources.files("fpdesk").joinpath(*parts)))


def check_resources() -> list[str]:
    """What the packed code tables lack (an empty list: they are whole)."""
    codes = package_file("resources", "codes.json")
    try:
        tables = json.loads(codes.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"code tables missing or unreadable: {exc}"]
    return [f"code table {t} missing from codes.json" for t in NEEDED_TABLES if t not in tables]
