"""The test suite never reads or writes the real user's folders, on any platform."""

from __future__ import annotations

from pathlib import Path

import platformdirs


def test_user_folders_are_the_tests_own(tmp_path: Path) -> None:
    for folder in (
        platformdirs.user_config_dir("fpdesk", appauthor=False),
        platformdirs.user_data_dir("fpdesk", appauthor=False),
        platformdirs.user_log_dir("fpdesk", appauthor=False),
        platformdirs.user_cache_dir("fpdesk", appauthor=False),
    ):
        assert Path(folder).is_relative_to(tmp_path), folder
