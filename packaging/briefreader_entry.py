"""Entry script of the frozen BriefReader (PyInstaller): the same ``briefreader`` command.

The bundle's executable runs this file; everything it does is ``briefreader.cli:main``,
as the console script does. The one addition: with ``BRIEFREADER_BENCH_PROBE=1`` in the
environment the window is started under the benchmark's paint probe (``bench/gui_probe.py``,
bundled for this alone), so that ``python -m bench --frozen dist/briefreader`` times this very
binary's first paint exactly as it times the installed app's. Without that variable the
probe is never imported.
"""

from __future__ import annotations

import os
import sys


def _run() -> int:
    # An index build worker (core/search/workers.py) is this executable too: never the probe.
    worker = sys.argv[1:2] == ["--build-index-part"]
    if os.environ.get("BRIEFREADER_BENCH_PROBE") == "1" and not worker:
        from bench import gui_probe

        return gui_probe.main(["app"])
    from briefreader.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(_run())
