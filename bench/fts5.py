"""The SQLite FTS5 baseline: the same sections, the same questions, in one process.

It lives in the bench only, never in the app. It does the work the app's search does:
the top 10 by BM25 (title and speaker weighted as in the app), a snippet per hit from
FTS5's own ``snippet()``, and the number of matching passages per theme.
"""

from __future__ import annotations

import sqlite3
import time

from briefreader.core.model import Briefing


class Fts5Index:
    def __init__(self, briefing: Briefing) -> None:
        started = time.perf_counter()
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE sections USING fts5("
            "id UNINDEXED, theme UNINDEXED, title, body, speaker, "
            "tokenize = 'porter unicode61')"
        )
        with self.db:
            self.db.executemany(
                "INSERT INTO sections VALUES (?, ?, ?, ?, ?)",
                (
                    (
                        s.id,
                        s.theme_id,
                        s.title,
                        s.text,
                        s.speaker.label() if s.speaker else "",
                    )
                    for s in briefing.sections
                ),
            )
        self.build_seconds = time.perf_counter() - started

    def search(
        self, match: str, theme: str | None = None, limit: int = 10
    ) -> list[tuple[str, str]]:
        if not match:
            return []
        where = "sections MATCH ?" + (" AND theme = ?" if theme else "")
        args: tuple[str, ...] = (match, theme) if theme else (match,)
        hits = self.db.execute(
            "SELECT id, snippet(sections, 3, '[', ']', ' … ', 32) FROM sections "
            f"WHERE {where} ORDER BY bm25(sections, 0, 0, 3.0, 1.0, 2.0) LIMIT {limit}",
            args,
        ).fetchall()
        # Per-theme counts, as the app shows them next to each tab.
        self.db.execute(
            "SELECT theme, count(*) FROM sections WHERE sections MATCH ? GROUP BY theme", (match,)
        ).fetchall()
        return hits

    def close(self) -> None:
        self.db.close()
