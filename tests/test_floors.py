"""scripts/floors.py: the constraints CI installs to test the lowest allowed versions."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("floors", ROOT / "scripts" / "floors.py")
assert _spec is not None and _spec.loader is not None
floors = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(floors)


@pytest.mark.parametrize(
    ("requirement", "pin"),
    [
        ("sqlite-utils>=4.0", "sqlite-utils==4.0"),
        ("PySide6-Essentials>=6.7,!=6.12.0", "PySide6-Essentials==6.7"),
        (
            "sqlcipher3-binary>=0.5.2.post2; sys_platform == 'linux'",
            "sqlcipher3-binary==0.5.2.post2 ; sys_platform == 'linux'",
        ),
        ("pytest[extra] >= 8", "pytest==8"),
        ("wheel", None),
        ("thing<2", None),
    ],
)
def test_a_floor_becomes_a_pin(requirement: str, pin: str | None) -> None:
    assert floors.floor_pin(requirement) == pin


def test_every_dependency_has_a_floor_to_test() -> None:
    """A dependency without a `>=` floor would escape the floors' CI run."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = floors.constraints(ROOT / "pyproject.toml")
    assert len(pins) == len(project["dependencies"])
    assert all("==" in pin for pin in pins)
