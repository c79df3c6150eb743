"""The page furniture: lines the reader's page adds around the source's words.

``core.render`` writes them into each theme page; ``core.excerpts`` recognises them in a
selection, so that an excerpt never quotes our furniture as the source's words. Both take
them from here, so that the two cannot drift apart: each line has a plain-text form (what a
selection of the page holds) and the HTML the page shows, which reads as that text.

The furniture: who is speaking under a statement, the "From <document>" line and the part
heading over a block of sections, the editors' notes under a passage, and under a finding of
the threat assessment the responses the source ties to it ("In response, the report
urges: …" and the statements that tie it, each with its speaker).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from briefreader.core.model import Briefing, Document, EditorNote, Section, Speaker

ATTRIBUTION_DASH = "— "
EDITORS_NOTE = "Editors' note"
RESPONSES_LEAD = "In response, the report urges:"
STATEMENTS_LEAD = "Statements that tie this finding to a response (Voices):"


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def attribution_text(speaker: Speaker) -> str:
    """Who is speaking, under a quote: "— Name, Role, Organisation"."""
    return f"{ATTRIBUTION_DASH}{speaker.label()}"


def attribution_html(speaker: Speaker) -> str:
    return f'<p class="attribution">{_e(attribution_text(speaker))}</p>'


def source_text(document: Document) -> str:
    """Where a block of sections comes from: "From <title>, <publisher>, <date>"."""
    return f"From {document.title}, {document.publisher}, {document.date_text}"


def source_html(document: Document) -> str:
    # The document's kind is in every citation; the line stays one line long (the reading
    # position is read a quarter down the view, under it).
    return (
        '<p class="source">From '
        f"<i>{_e(document.title)}</i>, {_e(document.publisher)}, "
        f"{_e(document.date_text)}</p>"
    )


def part_text(part: str) -> str:
    """The part of a document a block of sections belongs to, as its own line."""
    return part


def part_html(part: str) -> str:
    return f'<p class="part">{_e(part_text(part))}</p>'


def editors_note_text(note: EditorNote) -> str:
    """The editors' word under a passage, marked as theirs: "Editors' note: …"."""
    return f"{EDITORS_NOTE}: {note.note}"


def editors_note_html(note: EditorNote) -> str:
    return f'<p class="editors-note"><b>{_e(EDITORS_NOTE)}:</b> {_e(note.note)}</p>'


def passages(words: Sequence[str]) -> str:
    """Passages of one statement, with the editor's "[…]" for the words left out between them."""
    return " […] ".join(words)


def section_href(section: Section) -> str:
    """The in-page link to a section, "#<theme>/<anchor>": the reader opens its tab there."""
    return f"#{section.id}"


def _speaker_of(briefing: Briefing, section_id: str, fallback: str) -> tuple[str, Section | None]:
    holder = briefing.section(section_id)
    who = holder.speaker.label() if holder is not None and holder.speaker else fallback
    return who, holder


def responses_text(briefing: Briefing, section: Section) -> list[str]:
    """The lines shown under a finding (see :func:`responses_html`), as a selection holds them."""
    lines: list[str] = []
    for link in briefing.links_for(section.id):
        if link.kind != "report":
            continue
        lines.append(f"{RESPONSES_LEAD} “{passages(link.justification)}”")
        for response_id in link.response_ids:
            response = briefing.section(response_id)
            if response is not None:
                lines.append(f"{response.title}: {response.text}")
    statements = [link for link in briefing.links_for(section.id) if link.kind == "statement"]
    if statements:
        lines.append(STATEMENTS_LEAD)
        for link in statements:
            who, _ = _speaker_of(briefing, link.response_ids[0], link.label)
            lines.append(f"“{passages(link.justification)}” {ATTRIBUTION_DASH}{who}")
    return lines


def responses_html(briefing: Briefing, section: Section) -> list[str]:
    """ "In response, the report urges: …" in the report's own words, each recommendation as
    the source's list item (its bold lead and its words), and the statements that tie this
    finding to a response, each as its speaker's. Set apart from the finding's own words.

    A recommendation's name and a statement's speaker are links ("#<theme>/<anchor>") to
    the section itself, which the reader opens in its tab.
    """
    parts: list[str] = []
    for link in briefing.links_for(section.id):
        if link.kind != "report":
            continue
        items = []
        for response_id in link.response_ids:
            response = briefing.section(response_id)
            if response is not None:
                # The recommendation's name links to its section (the reader opens its tab).
                link_to = _e(section_href(response))
                items.append(
                    f'<li class="responses"><b><a href="{link_to}">{_e(response.title)}</a>:</b> '
                    f"{_e(response.text)}</li>"
                )
        parts.append(
            f'<div class="responses"><p class="responses"><b>{_e(RESPONSES_LEAD)}</b> '
            f"“{_e(passages(link.justification))}”</p>"
            f'<ul class="responses">{"".join(items)}</ul></div>'
        )
    statements = [link for link in briefing.links_for(section.id) if link.kind == "statement"]
    if statements:
        quotes = []
        for link in statements:
            who, holder = _speaker_of(briefing, link.response_ids[0], link.label)
            # The speaker's name links to the whole statement.
            name = f'<a href="{_e(section_href(holder))}">{_e(who)}</a>' if holder else _e(who)
            quotes.append(
                f'<li class="responses">“{_e(passages(link.justification))}” '
                f"{ATTRIBUTION_DASH}{name}</li>"
            )
        parts.append(
            f'<div class="responses"><p class="responses"><b>{_e(STATEMENTS_LEAD)}</b></p>'
            f'<ul class="responses">{"".join(quotes)}</ul></div>'
        )
    return parts


def furniture_lines(
    briefing: Briefing,
    sections: Iterable[Section],
    documents: Iterable[Document] | None = None,
) -> set[str]:
    """The plain-text lines the page may show around these sections' words.

    ``documents`` are those whose "From …" line may be in view; by default all the
    briefing's (a selection may start on the line above its first section).
    """
    lines = {source_text(d) for d in (briefing.documents if documents is None else documents)}
    for section in sections:
        if section.speaker is not None:
            lines.add(attribution_text(section.speaker))
        if section.part:
            lines.add(part_text(section.part))
        lines.update(editors_note_text(note) for note in briefing.notes_for(section.id))
        lines.update(responses_text(briefing, section))
    return lines
