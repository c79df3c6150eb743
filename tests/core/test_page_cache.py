"""The page cache: a kept page comes back only as it was written, for the same content."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from briefreader.core.page_cache import PageCache

PAGE = "<h1>Overview</h1>\n<p>Line one\r\nline two — “quoted”</p>\n"


def test_a_written_page_reads_back_exactly(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "pages", "f1")
    assert cache.read("overview") is None
    assert cache.write("overview", PAGE)
    assert cache.read("overview") == PAGE
    assert PageCache(tmp_path / "pages", "f1").read("overview") == PAGE  # a new run
    assert [p.name for p in (tmp_path / "pages").iterdir()] == ["overview.html"]


def test_another_contents_page_is_not_used(tmp_path: Path) -> None:
    PageCache(tmp_path, "old-content").write("overview", PAGE)
    assert PageCache(tmp_path, "new-content").read("overview") is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text.replace("Line one", "Line 1"),  # the page changed after writing
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: text.split("\n", 1)[1],  # no header
        lambda text: text.replace("page 1", "page 0", 1),  # another format
        lambda text: "",
    ],
)
def test_a_damaged_page_is_ignored_and_rewritten(
    tmp_path: Path, damage: Callable[[str], str]
) -> None:
    cache = PageCache(tmp_path, "f1")
    cache.write("overview", PAGE)
    path = tmp_path / "overview.html"
    path.write_bytes(damage(path.read_bytes().decode("utf-8")).encode("utf-8"))
    assert cache.read("overview") is None
    assert cache.write("overview", PAGE)
    assert cache.read("overview") == PAGE


def test_bytes_that_are_not_utf8_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "overview.html").write_bytes(b"\xff\xfe<h1>")
    assert PageCache(tmp_path, "f1").read("overview") is None


@pytest.mark.parametrize("theme_id", ["../overview", "a/b", "", ".hidden", "x y"])
def test_only_plain_theme_ids_become_files(tmp_path: Path, theme_id: str) -> None:
    cache = PageCache(tmp_path / "pages", "f1")
    assert not cache.write(theme_id, PAGE)
    assert cache.read(theme_id) is None
    assert not (tmp_path / "pages").exists()


def test_an_unchanged_page_is_not_written_again(tmp_path: Path) -> None:
    cache = PageCache(tmp_path, "f1")
    cache.write("overview", PAGE)
    path = tmp_path / "overview.html"
    os.utime(path, ns=(1, 1))
    assert cache.write("overview", PAGE)
    assert path.stat().st_mtime_ns == 1
    assert cache.write("overview", PAGE + "<p>more</p>")
    assert path.stat().st_mtime_ns != 1


def test_a_cache_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    cache = PageCache(blocked, "f1")
    assert not cache.write("overview", PAGE)
    assert cache.read("overview") is None
    assert list(tmp_path.iterdir()) == [blocked]
