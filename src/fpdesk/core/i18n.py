"""Two languages everywhere: Chinese first, English second.

Core code never formats a message for one language only: it returns a `Text`
carrying both, and the caller (CLI, GUI) picks the user's language.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def __str__(self) -> str:
        return self.get(current_language())

    def get(self, language: str) -> str:
        return self.zh if language == "zh" else self.en

    def format(self, **params: object) -> Text:
        return Text(self.zh.format(**params), self.en.format(**params))


_override: str | None = None


def set_language(language: str | None) -> None:
    """Force a language (settings, --lang); None goes back to the environment."""
    global _override
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    _override = language


def current_language() -> str:
    """zh unless the person chose English (settings or --lang, else FPDESK_LANG=en).

    The system locale is deliberately ignored: many Chinese-market laptops run an
    English Windows and servers run LANG=C.UTF-8, yet the officers read Chinese.
    """
    if _override:
        return _override
    wanted = os.environ.get("FPDESK_LANG", "").strip().lower()
    return wanted if wanted in LANGUAGES else "zh"
