"""Where fpdesk keeps its files on this laptop, and the few non-sensitive settings.

Health data lives only in the encrypted register.  The settings file holds the
language, the idle time before the register locks, and the path of the last register:
nothing about any person.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from fpdesk.core.i18n import LANGUAGES, current_language

APP_NAME = "fpdesk"
REGISTER_FILE = "register.fpdesk"
DEMO_FILE = "demo.fpdesk"
# The demo register holds invented people only; its passphrase is documented in the
# README so anyone can open it.
DEMO_PASSPHRASE = "demo1234"
# Who edits the demo when no officer name was given: one stable identity, the same in
# both languages, so a language switch never splits one person's work under two names.
DEMO_OFFICER = "演示用户"
DEMO_PERSONS = 3000
DEMO_SEED = 1
DEFAULT_LOCK_MINUTES = 10


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_register_path() -> Path:
    return data_dir() / REGISTER_FILE


def demo_register_path() -> Path:
    return data_dir() / DEMO_FILE


class Settings:
    """The settings file in the user's config folder (an INI file, readable by a person)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "fpdesk.ini"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    @property
    def language(self) -> str:
        """zh or en: the saved choice, else FPDESK_LANG, else zh (never the system locale)."""
        value = str(self._qs.value("language", "") or "")
        return value if value in LANGUAGES else current_language()

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}")
        self._qs.setValue("language", value)
        self._qs.sync()

    @property
    def lock_minutes(self) -> int:
        """Idle minutes before the register locks; 0 never locks."""
        try:
            return max(0, int(str(self._qs.value("lock_minutes", DEFAULT_LOCK_MINUTES))))
        except ValueError:
            return DEFAULT_LOCK_MINUTES

    @lock_minutes.setter
    def lock_minutes(self, value: int) -> None:
        self._qs.setValue("lock_minutes", max(0, int(value)))
        self._qs.sync()

    @property
    def officer(self) -> str:
        return str(self._qs.value("officer", "") or "")

    @officer.setter
    def officer(self, value: str) -> None:
        self._qs.setValue("officer", value)
        self._qs.sync()

    @property
    def window_geometry(self) -> QByteArray | None:
        """Where the main window was when it last closed (None: never closed yet)."""
        value = self._qs.value("window_geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window_geometry", value)
        self._qs.sync()
