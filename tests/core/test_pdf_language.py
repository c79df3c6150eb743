"""The document language added to a PDF's catalog by an incremental update (no Qt here: a
small PDF is written by hand, as Qt writes one: a classic cross-reference table)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from briefreader.core.pdf_language import add_catalog_language, catalog_language


def _pdf() -> bytes:
    objects = [
        b"<<\n/Title (A note)\n>>",
        b"<<\n/Type /Catalog\n/Pages 3 0 R\n>>",
        b"<<\n/Type /Pages\n/Kids [4 0 R]\n/Count 1\n>>",
        b"<<\n/Type /Page\n/Parent 3 0 R\n/MediaBox [0 0 595 842]\n>>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<<\n/Size %d\n/Info 1 0 R\n/Root 2 0 R\n>>\n" % (len(objects) + 1)
    return out + b"startxref\n%d\n%%%%EOF\n" % xref


def test_the_language_is_added_to_the_catalog_the_trailer_names() -> None:
    original = _pdf()
    assert catalog_language(original) is None
    updated = add_catalog_language(original, "en-GB")
    assert updated.startswith(original)  # an update appends; what was written stays
    assert catalog_language(updated) == "en-GB"
    # The new cross-reference entry and startxref point where they say.
    start = int(re.findall(rb"startxref\s+(\d+)", updated)[-1])
    assert updated[start:].startswith(b"xref\n")
    entry = re.search(rb"\n2 1\n(\d{10}) 00000 n \n", updated[start:])
    assert entry is not None
    assert updated[int(entry.group(1)) :].startswith(b"2 0 obj\n")
    assert b"/Prev %d" % int(re.findall(rb"startxref\s+(\d+)", original)[-1]) in updated
    assert b"/Pages 3 0 R" in updated[len(original) :]  # the catalog keeps what it had


def test_a_named_language_or_an_unknown_structure_is_left_alone() -> None:
    once = add_catalog_language(_pdf(), "en-GB")
    assert add_catalog_language(once, "fr") == once
    assert add_catalog_language(b"not a pdf", "en") == b"not a pdf"
    with pytest.raises(ValueError, match="language tag"):
        add_catalog_language(_pdf(), "en) /JS (x")


def test_poppler_reads_the_updated_file(tmp_path: Path) -> None:
    if shutil.which("pdfinfo") is None:
        pytest.skip("needs pdfinfo to read the PDF (apt-get install poppler-utils)")
    path = tmp_path / "note.pdf"
    path.write_bytes(add_catalog_language(_pdf(), "en-GB"))
    done = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert re.search(r"^Pages:\s+1$", done.stdout, re.MULTILINE)
    assert re.search(r"^Title:\s+A note$", done.stdout, re.MULTILINE)
