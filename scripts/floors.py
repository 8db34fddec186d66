"""Print a pip constraints file pinning every dependency to its lowest allowed version.

CI installs fpdesk with these pins into a second environment and runs a subset of the
tests there (.ci/run), so a floor in pyproject.toml that is not true (a module first
released after it) fails CI instead of a user's start-up.  Only `>=` floors are pinned;
a dependency without one is left to pip.  Environment markers are kept, so one file
serves every platform.

    python scripts/floors.py [pyproject.toml] > floors.txt
    pip install -c floors.txt -e .
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

# name, then the version clauses, then an optional "; marker"
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)(;.*)?$")


def floor_pin(requirement: str) -> str | None:
    """`name==floor[; marker]` for a requirement with a `>=` clause, else None."""
    match = _REQUIREMENT.match(requirement)
    if match is None:
        raise ValueError(f"cannot read the requirement {requirement!r}")
    name, _extras, clauses, marker = match.groups()
    floors = [c.strip()[2:].strip() for c in clauses.split(",") if c.strip().startswith(">=")]
    if not floors:
        return None
    return f"{name}=={floors[0]}" + (f" {marker.strip()}" if marker else "")


def constraints(pyproject: Path, extras: tuple[str, ...] = ()) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project.get("optional-dependencies", {}).get(extra, [])
    return [pin for pin in map(floor_pin, requirements) if pin is not None]


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "pyproject.toml"
    print("\n".join(constraints(path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
