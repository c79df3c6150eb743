"""The document language added to a PDF's catalog (``/Lang``), by an incremental update.

Qt's PDF engine writes no ``/Lang``: screen readers and text-to-speech then guess the
language of every word. PDF lets a writer append a changed object after the end of a file
(an incremental update: the object, a cross-reference section for it, and a trailer that
points back to the previous one), which every reader applies; the bytes Qt wrote stay as
they were. This handles the classic cross-reference table Qt writes; anything else is
returned unchanged, since the language is a help, not a condition of a readable PDF.
"""

from __future__ import annotations

import re

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref", re.S)
_ROOT = re.compile(rb"/Root\s+(\d+)\s+(\d+)\s+R")
_SIZE = re.compile(rb"/Size\s+(\d+)")
_ID = re.compile(rb"/ID\s*\[[^\]]*\]")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def _catalog(pdf: bytes, number: int, generation: int) -> bytes | None:
    """The body of the last definition of object ``number`` (between ``<<`` and ``>>``)."""
    found = None
    for match in re.finditer(
        rb"(?:^|[\r\n])%d\s+%d\s+obj\s*<<(.*?)>>\s*endobj" % (number, generation), pdf, re.S
    ):
        found = match.group(1)
    return found


def add_catalog_language(pdf: bytes, language: str) -> bytes:
    """``pdf`` with ``/Lang (language)`` in its document catalog, or ``pdf`` unchanged if
    its structure is not the plain one this handles (or it names a language already)."""
    if not _LANGUAGE.fullmatch(language):
        raise ValueError(f"not a language tag: {language!r}")
    end = _STARTXREF.search(pdf[-64:])
    trailers = list(_TRAILER.finditer(pdf))
    if end is None or not trailers:
        return pdf
    trailer = trailers[-1].group(1)
    root, size = _ROOT.search(trailer), _SIZE.search(trailer)
    if root is None or size is None:
        return pdf
    number, generation = int(root.group(1)), int(root.group(2))
    body = _catalog(pdf, number, generation)
    if body is None or b"/Type /Catalog" not in body or b"/Lang" in body:
        return pdf
    previous = int(end.group(1))
    head = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    offset = len(head)
    catalog = b"%d %d obj\n<<%s/Lang (%s)\n>>\nendobj\n" % (
        number,
        generation,
        body.rstrip() + b"\n",
        language.encode("ascii"),
    )
    xref_at = offset + len(catalog)
    identifier = _ID.search(trailer)
    xref = (
        b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d %05d n \n" % (number, offset, generation)
        + b"trailer\n<<\n/Size %s\n/Root %d %d R\n" % (size.group(1), number, generation)
        + b"".join(m.group(0) + b"\n" for m in [re.search(rb"/Info\s+\d+\s+\d+\s+R", trailer)] if m)
        + (identifier.group(0) + b"\n" if identifier else b"")
        + b"/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n" % (previous, xref_at)
    )
    return head + catalog + xref


def catalog_language(pdf: bytes) -> str | None:
    """The ``/Lang`` of the catalog the PDF's last trailer names, or None."""
    trailers = list(_TRAILER.finditer(pdf))
    if not trailers:
        return None
    root = _ROOT.search(trailers[-1].group(1))
    if root is None:
        return None
    body = _catalog(pdf, int(root.group(1)), int(root.group(2)))
    match = re.search(rb"/Lang\s*\(([^)]*)\)", body or b"")
    return match.group(1).decode("ascii", "replace") if match else None
