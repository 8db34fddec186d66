"""Print fpdesk's requirements (with the test and freeze extras) as Windows sees them.

pip judges environment markers for the machine it runs on, so `pip download
--platform win_amd64` on Linux would ask for the Linux-only sqlcipher3-binary and miss
the Windows-only sqlcipher3-wheels; here the markers are judged for 64-bit Windows.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from pip._vendor.packaging.requirements import Requirement

WINDOWS = {
    "sys_platform": "win32",
    "platform_system": "Windows",
    "os_name": "nt",
    "platform_machine": "AMD64",
    "python_version": "3.11",
    "python_full_version": "3.11.9",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}
LINUX_ONLY_TOOLS = {"ruff", "mypy"}  # the linters judge the source once, on Linux


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in ("test", "freeze"):
        wanted += project["optional-dependencies"][extra]
    for text in wanted:
        requirement = Requirement(text)
        if requirement.name in LINUX_ONLY_TOOLS:
            continue
        if requirement.marker is None or requirement.marker.evaluate(WINDOWS):
            requirement.marker = None
            print(requirement)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
