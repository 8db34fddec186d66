"""A township with enrolled villages, made once per session and copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE
from tests.sync.helpers import World, make_world


@pytest.fixture(scope="session")
def _template_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("world")
    make_world(root, village_count=2).close()
    return root


@pytest.fixture(scope="session")
def _template_world3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("world3")
    make_world(root, village_count=3).close()
    return root


def open_world(source: Path, target: Path) -> World:
    """Copies of the template registers, opened."""
    shutil.copytree(source, target)
    township_path = next(target.glob("township-*.fpdesk"))
    township = open_register(township_path, PASSPHRASE)
    township.set_actor("文员")
    world = World(target, township)
    for path in sorted(target.glob("village-*.fpdesk")):
        reg = open_register(path, PASSPHRASE)
        reg.set_actor("村干部")
        world.villages[reg.area_code] = reg
    return world


@pytest.fixture
def world(tmp_path: Path, _template_world: Path) -> Iterator[World]:
    opened = open_world(_template_world, tmp_path / "world")
    yield opened
    opened.close()
