"""Shared fixtures: real encrypted registers in tmp_path, Qt offscreen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Offscreen unless the caller asked for a real screen (screenshots under Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FPDESK_LANG", "zh")

from fpdesk.core.i18n import set_language
from fpdesk.store.db import Register, create_register, open_register

PASSPHRASE = "测试口令-test"
VILLAGE = "450102001201"
TOWNSHIP = "450102001000"


@pytest.fixture(autouse=True)
def _language_from_environment() -> Iterator[None]:
    """`fpdesk --lang en` (run in-process by command tests) forces a language for the
    rest of the process; each test starts from the environment's (FPDESK_LANG) again,
    so what a test sees does not depend on which tests ran before it."""
    set_language(None)
    yield
    set_language(None)


@pytest.fixture(autouse=True)
def user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, data, logs and documents never touch the real user's folders.

    platformdirs reads XDG_* on Linux and WIN_PD_OVERRIDE_* on Windows (where XDG_* is
    ignored: a test once left `language=en` in the real settings there, and the
    installed app then started in English).
    """
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DOCUMENTS_DIR", "documents"),
        ("WIN_PD_OVERRIDE_LOCAL_APPDATA", "local"),
        ("WIN_PD_OVERRIDE_APPDATA", "roaming"),
        ("WIN_PD_OVERRIDE_COMMON_APPDATA", "common"),
        ("WIN_PD_OVERRIDE_PERSONAL", "documents"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    return home


@pytest.fixture(scope="session")
def _template_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated empty village register per session; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "village.fpdesk"
    create_register(path, PASSPHRASE, role="village", area_code=VILLAGE).close()
    return path


@pytest.fixture
def register_path(tmp_path: Path, _template_register: Path) -> Path:
    path = tmp_path / "register.fpdesk"
    shutil.copy2(_template_register, path)
    return path


@pytest.fixture
def register(register_path: Path) -> Iterator[Register]:
    reg = open_register(register_path, PASSPHRASE)
    reg.set_actor("测试员")
    yield reg
    reg.close()


@pytest.fixture
def passphrase_env(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FPDESK_PASSPHRASE", PASSPHRASE)
    return PASSPHRASE
