"""The bundled briefing and one searcher over it, shared by a module's search tests."""

from __future__ import annotations

import pytest

from briefreader.core.content import load_briefing
from briefreader.core.locations import bundled_content_dir
from briefreader.core.model import Briefing
from briefreader.core.search.searcher import Searcher, SearchIndex


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return load_briefing(bundled_content_dir())


@pytest.fixture(scope="module")
def searcher(briefing: Briefing, tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    search_index = SearchIndex(briefing, tmp_path_factory.mktemp("cache"))
    search_index.open_or_build()
    return search_index.searcher()
