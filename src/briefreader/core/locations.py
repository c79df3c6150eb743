"""Where BriefReader finds its bundled files and keeps its own: resolved once, passed down.

Bundled content and resources live at the top of the repository and are installed inside
the package (see pyproject.toml); an editable install or a plain checkout finds them beside
``src/``. The index and the rendered pages (a cache) and the user's data (the excerpt tray)
live in the platform's folders, never in the installed package. Environment variables
override each folder, for tests and for a portable copy:

- ``BRIEFREADER_CONTENT_DIR``: another briefing's content folder (same format as ``content/``);
- ``BRIEFREADER_CACHE_DIR``: the cache (``index/``, ``pages/`` and ``briefing.json`` inside it);
- ``BRIEFREADER_DATA_DIR``: the user's data.

Nothing below the entry points (``cli``, ``app``) looks these up: they resolve one
:class:`Locations` and hand it, or the one folder a part needs, down.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "BriefReader"
ORG_NAME = "BriefReader"
# The desktop entry's and AppStream's id (packaging/linux/): reverse-DNS under a host the
# project names for itself, not under the publisher of the briefing, whose app this is not.
APP_ID = "io.github.briefreader.BriefReader"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent.parent / name


def bundled_content_dir() -> Path:
    """The briefing shipped with the app, whatever the environment says."""
    return _bundled("content")


def resources_dir() -> Path:
    """Stylesheets and icons shipped with the app (not configurable: they are code)."""
    return _bundled("resources")


@dataclass(frozen=True, slots=True)
class Locations:
    """The folders one run of the app uses."""

    content: Path
    resources: Path
    cache: Path
    data: Path

    @property
    def index(self) -> Path:
        """The search index: a cache the app rebuilds itself."""
        return self.cache / "index"

    @property
    def pages(self) -> Path:
        """Rendered theme pages, kept so that the next start paints its first tab at once."""
        return self.cache / "pages"

    @classmethod
    def resolve(cls, environ: Mapping[str, str] | None = None) -> Locations:
        """The folders for this run: the environment's overrides, else the platform's."""
        env = os.environ if environ is None else environ
        content = env.get("BRIEFREADER_CONTENT_DIR")
        cache = env.get("BRIEFREADER_CACHE_DIR")
        data = env.get("BRIEFREADER_DATA_DIR")
        return cls(
            content=Path(content) if content else bundled_content_dir(),
            resources=resources_dir(),
            cache=Path(cache) if cache else _user_dir("cache"),
            data=Path(data) if data else _user_dir("data"),
        )


# The XDG variable and the folder under $HOME, as platformdirs reads them on Linux.
_XDG = {"cache": ("XDG_CACHE_HOME", ".cache"), "data": ("XDG_DATA_HOME", ".local/share")}


def _user_dir(kind: str) -> Path:
    """The platform's folder of this kind for the app: platformdirs' answer.

    Importing platformdirs takes 7-10 ms of a start (it imports tempfile, shutil and random),
    before the first paint, which needs the cache folder. On Linux, with an absolute XDG
    variable or an absolute HOME, its answer is the variable's folder or the one under HOME,
    written out here (a test holds the two to the same answer); anything else (another
    platform, no usable HOME) asks platformdirs itself. Both read ``os.environ``."""
    variable, under_home = _XDG[kind]
    if sys.platform.startswith("linux"):
        xdg = os.environ.get(variable, "")
        if Path(xdg).is_absolute():  # a relative one is ignored, as the XDG specification says
            return Path(xdg) / APP_NAME
        home = os.environ.get("HOME", "")
        if Path(home).is_absolute():
            return Path(home) / under_home / APP_NAME
    import platformdirs  # slow to import: only when the folder is not found as above

    if kind == "cache":
        return Path(platformdirs.user_cache_dir(APP_NAME, False))
    return Path(platformdirs.user_data_dir(APP_NAME, False))
