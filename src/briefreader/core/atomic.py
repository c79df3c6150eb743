"""One way to replace a file: the old one or the whole new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, *, mode: int = 0o644, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a private temporary file in the same folder.

    ``durable`` flushes the file to disk before it replaces the old one, so that a power cut
    leaves one or the other (a cache can skip it; a delegate's export should not). Raises
    ``OSError`` as the file system does; the temporary file never outlives the call.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        # mkstemp makes the file private (0600); most of what we write is an ordinary file.
        temporary.chmod(mode)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
