"""The briefing kept in the cache folder: read back only while no content file changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from briefreader.core import content, content_cache
from briefreader.core.content import load_briefing
from briefreader.core.content_cache import BriefingCache
from briefreader.core.locations import bundled_content_dir
from briefreader.core.model import Briefing, ContentError


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a briefing whose files were written a moment ago (the tests' copies are): the
    two-second rule is tested on its own below."""
    monkeypatch.setattr(content_cache, "_RACY_NS", 0)


def _loader_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(root: Path) -> object:
        raise AssertionError(f"the loader ran for {root}")

    monkeypatch.setattr(content, "load_briefing_consulted", forbidden)


def _kept(root: Path, folder: Path) -> Briefing:
    cache = BriefingCache(folder)
    briefing = cache.load(root)
    assert cache.has_pending
    cache.save()
    assert (folder / content_cache.FILE_NAME).is_file()
    return briefing


def _later_edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (the same length), after the file system's clock moved on."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    time.sleep(0.05)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert path.stat().st_size == before.st_size


def test_bundled_briefing_read_back_equals_the_loaded_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = bundled_content_dir()
    if time.time_ns() - max(p.stat().st_ctime_ns for p in root.rglob("*")) < 3e9:
        time.sleep(3)  # a checkout made this moment is not kept (the two-second rule)
    loaded = _kept(root, tmp_path)
    assert loaded == load_briefing(root)
    _loader_forbidden(monkeypatch)
    cache = BriefingCache(tmp_path)
    kept = cache.load(root)
    assert not cache.has_pending
    assert kept == loaded
    assert kept.fingerprint == loaded.fingerprint
    # Nested values come back as the model's types, not JSON's lists.
    section = kept.sections[0]
    assert isinstance(section.paragraphs, tuple) and isinstance(section.list_items, tuple)
    assert kept.section(section.id) == section
    assert all(isinstance(group, tuple) for group in kept.synonyms)
    assert any(s.speaker is not None for s in kept.sections)


def test_edited_file_of_the_same_size_and_time_is_loaded_again(
    mini_content: Path, tmp_path: Path, trusting: None
) -> None:
    first = _kept(mini_content, tmp_path / "cache")
    path = mini_content / "themes" / "threats.md"
    stat = path.stat()
    section = first.sections[0]
    word = section.text.split()[0]
    _later_edit(path, word, word.upper() if word != word.upper() else word.lower())
    # Its modification time set back as it was: its change time still tells.
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    cache = BriefingCache(tmp_path / "cache")
    again = cache.load(mini_content)
    assert again == load_briefing(mini_content)
    assert again.fingerprint != first.fingerprint
    assert again.sections[0].text != section.text


def test_optional_file_that_appears_is_loaded(
    mini_content: Path, tmp_path: Path, trusting: None
) -> None:
    synonyms = mini_content / "synonyms.toml"
    text = synonyms.read_text(encoding="utf-8")
    synonyms.unlink()
    first = _kept(mini_content, tmp_path)
    assert first.synonyms == ()
    synonyms.write_text(text, encoding="utf-8")
    again = BriefingCache(tmp_path).load(mini_content)
    assert again.synonyms and again == load_briefing(mini_content)


def test_other_content_folder_is_not_served(
    mini_content: Path, tmp_path: Path, trusting: None
) -> None:
    import shutil

    _kept(mini_content, tmp_path / "cache")
    two = tmp_path / "two"
    shutil.copytree(mini_content, two)
    (two / "briefing.toml").write_text(
        (two / "briefing.toml").read_text(encoding="utf-8").replace("title =", "title = 'X' #", 1),
        encoding="utf-8",
    )
    assert BriefingCache(tmp_path / "cache").load(two) == load_briefing(two)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:],
        lambda data: b"",
        lambda data: b"BriefReader briefing 1 00000000\n[]",
        lambda data: data.replace(b"BriefReader briefing 1", b"BriefReader briefing 0", 1),
    ],
    ids=["truncated", "bit-flipped", "empty", "foreign", "older-format"],
)
def test_damaged_cache_is_loaded_again_and_rewritten(
    mini_content: Path,
    tmp_path: Path,
    trusting: None,
    damage: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = _kept(mini_content, tmp_path)
    path = tmp_path / content_cache.FILE_NAME
    good = path.read_bytes()
    assert callable(damage)
    path.write_bytes(damage(good))
    cache = BriefingCache(tmp_path)
    assert cache.load(mini_content) == first
    assert cache.has_pending
    cache.save()
    assert path.read_bytes() == good
    assert capsys.readouterr() == ("", "")


def test_valid_json_of_the_wrong_shape_is_loaded_again(
    mini_content: Path, tmp_path: Path, trusting: None
) -> None:
    import json
    import zlib

    first = _kept(mini_content, tmp_path)
    path = tmp_path / content_cache.FILE_NAME
    kept = json.loads(path.read_bytes().partition(b"\n")[2])
    kept["briefing"][3] = [["only-a-title"]]  # a theme without its sections
    body = json.dumps(kept).encode()
    path.write_bytes(f"BriefReader briefing 1 {zlib.crc32(body):08x}\n".encode() + body)
    assert BriefingCache(tmp_path).load(mini_content) == first


def test_new_release_or_loader_loads_again(
    mini_content: Path, tmp_path: Path, trusting: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kept(mini_content, tmp_path)
    monkeypatch.setattr(content_cache, "__version__", "99.0")
    cache = BriefingCache(tmp_path)
    cache.load(mini_content)
    assert cache.has_pending


def test_files_changed_within_two_seconds_are_not_kept(mini_content: Path, tmp_path: Path) -> None:
    # The copy was made a moment ago: a further edit in the same tick of the file system's
    # clock would leave size and times as they are, so this briefing is loaded again next time.
    cache = BriefingCache(tmp_path)
    assert cache.load(mini_content) == load_briefing(mini_content)
    assert not cache.has_pending
    cache.save()
    assert not (tmp_path / content_cache.FILE_NAME).exists()


def test_briefing_with_problems_is_not_kept(
    mini_content: Path, tmp_path: Path, trusting: None
) -> None:
    (mini_content / "figures.toml").write_text("figures = 3\n", encoding="utf-8")
    cache = BriefingCache(tmp_path)
    briefing = cache.load(mini_content)
    assert [str(p) for p in briefing.problems] == [
        "figures.toml: 'figures' must be a list of [[figures]] tables"
    ]
    assert not cache.has_pending


def test_unusable_manifest_raises_and_nothing_is_kept(
    mini_content: Path, tmp_path: Path, trusting: None
) -> None:
    (mini_content / "briefing.toml").write_text("title = [\n", encoding="utf-8")
    cache = BriefingCache(tmp_path)
    with pytest.raises(ContentError, match=r"briefing\.toml: Invalid value"):
        cache.load(mini_content)
    cache.save()
    assert not (tmp_path / content_cache.FILE_NAME).exists()


def test_unwritable_cache_folder_is_no_error(
    mini_content: Path, tmp_path: Path, trusting: None
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = BriefingCache(blocker / "cache")
    briefing = cache.load(mini_content)
    cache.save()  # mkdir fails under a file: ignored, the next start loads again
    assert BriefingCache(blocker / "cache").load(mini_content) == briefing
