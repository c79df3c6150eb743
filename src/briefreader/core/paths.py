"""Where BriefReader finds its bundled files and keeps its own.

Bundled content and resources live at the top of the repository and are installed inside
the package (see pyproject.toml); an editable install or a plain checkout finds them beside
``src/``. The index (a cache) and the user's data live in the platform's folders, never in
the installed package; environment variables override them for tests and portable use.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "BriefReader"
ORG_NAME = "BriefReader"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent.parent / name


def content_dir() -> Path:
    """The bundled briefing: manifest, figures and theme files."""
    override = os.environ.get("BRIEFREADER_CONTENT_DIR")
    return Path(override) if override else _bundled("content")


def resources_dir() -> Path:
    """Stylesheets and icons shipped with the app."""
    return _bundled("resources")


def cache_dir() -> Path:
    """Where the search index is kept: a cache the app can always rebuild."""
    override = os.environ.get("BRIEFREADER_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs  # 2-4 ms to import: only when a platform folder is needed

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Where the user's own data (the excerpt tray) is kept."""
    override = os.environ.get("BRIEFREADER_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
