"""Settings are read back with their types and checked; bad values give the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from briefreader.ui.shared.settings import RECENT_MAX, ZOOM_DEFAULT, AppSettings


def _settings(path: Path) -> AppSettings:
    return AppSettings(QSettings(str(path), QSettings.Format.IniFormat))


def test_values_come_back_with_their_types_in_a_new_reader(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    first = _settings(path)
    first.zoom = 135
    first.tab = "voices"
    first.appearance = "dark"
    first.set_scroll("voices", 4321)
    first.geometry = QByteArray(b"\x01\x02geometry")
    first.add_recent_search("grooming")
    first.sync()

    again = _settings(path)
    assert again.zoom == 135
    assert again.tab == "voices"
    assert again.appearance == "dark"
    assert again.scroll("voices") == 4321
    assert again.scroll("overview") == -1
    assert again.geometry == QByteArray(b"\x01\x02geometry")
    assert again.recent_searches == ["grooming"]  # a one-item list, not a string


def test_recent_searches_are_unique_newest_first_and_bounded(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "s.ini")
    for number in range(RECENT_MAX + 3):
        settings.add_recent_search(f"query {number}")
    settings.add_recent_search("  QUERY   5 ")
    recent = settings.recent_searches
    assert recent[0] == "QUERY 5"
    assert len(recent) == RECENT_MAX
    assert [r.casefold() for r in recent].count("query 5") == 1
    assert settings.add_recent_search("   ") == recent


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("zoom=huge", "zoom"),
        ("zoom=5", "zoom"),
        ("zoom=9999", "zoom"),
        ("appearance=purple", "appearance"),
    ],
)
def test_bad_values_give_the_defaults(tmp_path: Path, line: str, key: str) -> None:
    path = tmp_path / "s.ini"
    path.write_text(f"[reader]\n{line}\n", encoding="utf-8")
    settings = _settings(path)
    assert getattr(settings, key) == {"zoom": ZOOM_DEFAULT, "appearance": "system"}[key]


def test_an_unknown_appearance_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="appearance must be one of"):
        _settings(tmp_path / "s.ini").appearance = "sepia"
