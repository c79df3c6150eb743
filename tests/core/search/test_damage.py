"""No SIGBUS: an index file truncated while it is open never kills the process.

Whoosh memory-maps a compound index file; with the file truncated under it, the next read of
a lost page raised SIGBUS, which kills the process (exit -7) whatever ``except`` there is.
Each case runs in its own process, so that the test sees the signal rather than dying of it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import json, os, sys
from pathlib import Path
from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir
from briefreader.core.search import index as index_module
from briefreader.core.search.searcher import SearchIndex

if {separate!r}:
    index_module.COMPOUND_MAX_SECTIONS = 0
briefing = load_briefing(bundled_content_dir())
root = Path({root!r})
search_index = SearchIndex(briefing, root)
first = search_index.open_or_build().path
searcher = search_index.searcher()
assert searcher.search("grooming").hits
for path in first.iterdir():
    if path.name != "briefreader-manifest.json" and path.stat().st_size > 64:
        os.truncate(path, path.stat().st_size // 8)  # while Whoosh has it open
words = sorted({{w.lower() for s in briefing.sections for w in s.text.split() if w.isalpha()}})
answered = 0
for word in words[:: max(1, len(words) // 200)]:
    result = searcher.search(word)
    answered += 1
    assert result.hits or result.message, word
stored = [h.id for h in searcher.search("sextortion").hits]
reopened = SearchIndex(briefing, root).open_or_build()
print(json.dumps({{
    "answered": answered,
    "rebuilt_while_searching": search_index.generation > 1,
    "stored": stored,
    "reopened": [reopened.built, reopened.reason],
}}))
"""


@pytest.mark.parametrize("layout", ["compound", "separate"])
def test_truncating_the_open_index_never_kills_the_process(tmp_path: Path, layout: str) -> None:
    code = SCRIPT.format(separate=layout == "separate", root=str(tmp_path / "index"))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode != -7, "killed by SIGBUS"
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["answered"] >= 100
    assert "threat-assessment/financial-sexual-extortion" in outcome["stored"]
    if layout == "compound":
        # Read whole when opened: searching goes on from memory, and the next open finds
        # the damage before it reads anything, and rebuilds.
        assert not outcome["rebuilt_while_searching"]
        assert outcome["reopened"][0] is True
        assert outcome["reopened"][1].startswith("the index file ")
        assert outcome["reopened"][1].endswith(" is damaged")
    else:
        # Read from the files as it searches: the damage was met, and rebuilt from; the
        # next open finds that new index whole.
        assert outcome["rebuilt_while_searching"]
        assert outcome["reopened"] == [False, "reused"]
