"""Full-text search of the briefing: every line of Whoosh code in BriefReader is in here.

Kept tiny, and free of Whoosh, so that importing ``results`` (which the window does before
its first paint) loads nothing else. The modules, in the order a query passes them:

- ``results``: the frozen values search returns (no Whoosh);
- ``index``: the schema, and the index's life cycle (build, manifest, swap, open, verify);
- ``query``: query planning, text to text (no Whoosh, no index);
- ``parsing``: the planned text into a Whoosh query;
- ``engine``: the in-memory BM25F engine, the only module touching Whoosh's internals;
- ``snippets``: highlighting and the snippets' fragments;
- ``searcher``: ``SearchIndex`` and ``Searcher``, the facade the app and the CLI use.
"""
