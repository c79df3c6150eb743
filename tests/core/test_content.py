"""The loader: the bundled briefing loads whole; broken content is reported by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefreader.core.content import load_briefing, markdown_to_text, slugify
from briefreader.core.locations import bundled_content_dir
from briefreader.core.model import Briefing, ContentError

THEMES = [
    "overview",
    "collaboration",
    "knowledge",
    "empowerment",
    "advocacy",
    "threat-assessment",
    "recommendations",
    "voices",
]


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return load_briefing(bundled_content_dir())


def test_bundled_briefing_loads_without_problems(briefing: Briefing) -> None:
    assert briefing.problems == ()
    assert [t.id for t in briefing.themes] == THEMES
    assert all(t.sections for t in briefing.themes)
    assert len(briefing.sections) >= 60


def test_documents_carry_publisher_date_and_address(briefing: Briefing) -> None:
    review = briefing.document("review")
    release = briefing.document("press-release")
    assert review is not None and release is not None
    assert (review.publisher, review.date, review.date_text) == (
        "WeProtect Global Alliance",
        "2023-12",
        "December 2023",
    )
    assert release.date == "2023-10-17"
    assert release.url == "https://weprotect.org/global-threat-assessment-23/"


def test_section_ids_are_unique_and_derived_from_theme_and_anchor(briefing: Briefing) -> None:
    ids = [s.id for s in briefing.sections]
    assert len(ids) == len(set(ids))
    for section in briefing.sections:
        assert section.id == f"{section.theme_id}/{section.anchor}"
        assert section.text.strip()
        assert "**" not in section.text and "<u>" not in section.text


def test_quotes_have_speakers(briefing: Briefing) -> None:
    voices = briefing.theme("voices")
    assert voices is not None
    assert all(s.speaker is not None for s in voices.sections)
    allen = briefing.section("voices/ernie-allen")
    assert allen is not None and allen.speaker is not None
    assert allen.speaker.name == "Ernie Allen"
    assert "public health approaches" in allen.text


def test_extraction_damage_is_repaired(briefing: Briefing) -> None:
    everything = "\n".join(s.text for s in briefing.sections)
    for damaged in ("lain Drennan", "Al-generated", "reference grup", "Toun", "href="):
        assert damaged not in everything
    assert "AI-generated" in everything and "Iain Drennan" in everything


def test_figures_point_at_sections_that_contain_them(briefing: Briefing) -> None:
    assert len(briefing.figures) >= 10
    for figure in briefing.figures:
        section = briefing.section(figure.section_id)
        assert section is not None, figure.id
        assert figure.value in section.text, figure.id
        assert figure.source


def test_fingerprint_is_stable_and_follows_the_content(mini_content: Path) -> None:
    first = load_briefing(mini_content).fingerprint
    assert load_briefing(mini_content).fingerprint == first
    path = mini_content / "themes" / "threats.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert load_briefing(mini_content).fingerprint != first


def test_markdown_to_text() -> None:
    md = "> “A **bold** and *leaning* [link](https://x.org) quote.”\n>\n> Second.\n\n- one\n- two"
    assert markdown_to_text(md) == ("“A bold and leaning link quote.”\n\nSecond.\n\none\n\ntwo")


def test_emphasis_stars_only_where_they_mark_emphasis() -> None:
    # Stars inside words and loose stars stay; the first two pairs are emphasis.
    text = "*lead* and (*z*), 2*3*4, snake*case* and * loose * stars"
    assert markdown_to_text(text) == "lead and (z), 2*3*4, snake*case* and * loose * stars"


def test_slugify() -> None:
    assert slugify("Adopt a Safety by Design Approach") == "adopt-a-safety-by-design-approach"
    assert slugify("Aníbal Fernández — 2023!") == "anibal-fernandez-2023"
    assert slugify("???") == "section"


# -- broken content ----------------------------------------------------------------------------


def _problems(root: Path) -> list[str]:
    return [str(p) for p in load_briefing(root).problems]


def _write(root: Path, name: str, text: str) -> Path:
    path = root / "themes" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_front_matter_field_names_file(mini_content: Path) -> None:
    _write(mini_content, "voices.md", '+++\ntheme = "voices"\n+++\n\n## A\n\nText.\n')
    problems = _problems(mini_content)
    assert problems == ["themes/voices.md:1: front matter: missing or empty field 'document'"]
    briefing = load_briefing(mini_content)
    assert briefing.theme("voices") is not None
    assert len(briefing.sections) == 3  # the other file still loads


def test_unknown_theme(mini_content: Path) -> None:
    _write(
        mini_content, "voices.md", '+++\ntheme = "nope"\ndocument = "press-release"\n+++\n## A\nx\n'
    )
    assert _problems(mini_content) == ["themes/voices.md:2: unknown theme 'nope'"]


def test_unknown_document(mini_content: Path) -> None:
    _write(mini_content, "voices.md", '+++\ntheme = "voices"\ndocument = "memo"\n+++\n## A\nx\n')
    assert _problems(mini_content) == ["themes/voices.md:3: unknown document 'memo'"]


def test_duplicate_section_id(mini_content: Path) -> None:
    text = (
        '+++\ntheme = "voices"\ndocument = "press-release"\n'
        'sections.same = { heading = "editors", under = "", paras = [1] }\n+++\n\n'
        "## Same\n\nOne.\n\n## Same\n\nTwo.\n"
    )
    _write(mini_content, "voices.md", text)
    problems = _problems(mini_content)
    assert len(problems) == 1
    assert problems[0].startswith("themes/voices.md:11: duplicate section id 'voices/same'")
    section = load_briefing(mini_content).section("voices/same")
    assert section is not None and section.text == "One."


def test_bad_encoding_names_the_line(mini_content: Path) -> None:
    path = mini_content / "themes" / "voices.md"
    path.write_bytes(b'+++\ntheme = "voices"\n+++\n\n## A\n\nCaf\xe9\n')
    assert _problems(mini_content) == ["themes/voices.md:7: is not valid UTF-8 text"]


def test_manifest_names_missing_file(mini_content: Path) -> None:
    (mini_content / "themes" / "voices.md").unlink()
    assert _problems(mini_content) == [
        "briefing.toml: theme 'voices' names themes/voices.md, which does not exist"
    ]


def test_invalid_front_matter_toml_gives_line(mini_content: Path) -> None:
    _write(mini_content, "voices.md", '+++\ntheme = "voices"\ndocument = \n+++\n## A\nx\n')
    problems = _problems(mini_content)
    assert len(problems) == 1 and problems[0].startswith("themes/voices.md:3: front matter:")


def test_unclosed_front_matter_and_text_before_heading(mini_content: Path) -> None:
    _write(mini_content, "voices.md", '+++\ntheme = "voices"\n## A\nx\n')
    assert _problems(mini_content) == [
        "themes/voices.md:1: front matter is not closed by a '+++' line"
    ]
    _write(
        mini_content,
        "voices.md",
        '+++\ntheme = "voices"\ndocument = "press-release"\n'
        'sections.a = { heading = "editors", under = "", paras = [1] }\n+++\nStray.\n## A\nx\n',
    )
    assert _problems(mini_content) == [
        "themes/voices.md:6: text before the first '## ' heading is not shown"
    ]


def test_speaker_entry_without_section(mini_content: Path) -> None:
    text = (
        '+++\ntheme = "voices"\ndocument = "press-release"\n[sections.ghost]\n'
        'heading = "editors"\nunder = ""\nparas = [3]\n+++\n## A\nx\n'
    )
    _write(mini_content, "voices.md", text)
    assert _problems(mini_content) == [
        "themes/voices.md:9: section 'a' has no [sections] entry (heading, paras: see FORMAT.md)",
        "themes/voices.md:4: [sections] names 'ghost': there is no such section",
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('heading = "ours"', "heading must be one of 'source', 'speaker', 'editors', not 'ours'"),
        ('heading = "editors"\nunder = ""\nparas = [3, 2]', "'paras' must list the paragraph"),
        ('heading = "editors"\nunder = ""\nparas = []', "'paras' must list the paragraph"),
        ('heading = "editors"\nparas = [2]', "'under' must name the source's heading above it"),
        ('heading = "source"\nunder = "Other"\nparas = [2]', "a source heading is its own"),
        ('heading = "speaker"\nunder = ""\nparas = [2]', "a statement has heading = 'speaker'"),
    ],
)
def test_bad_section_entry_names_file_and_line(
    mini_content: Path, entry: str, message: str
) -> None:
    text = (
        '+++\ntheme = "voices"\ndocument = "press-release"\n\n'
        f"[sections.a]\n{entry}\n+++\n## A\n\nx\n"
    )
    _write(mini_content, "voices.md", text)
    problems = _problems(mini_content)
    assert problems and problems[0].startswith("themes/voices.md:5: [sections.a]"), problems
    assert message in problems[0]


def test_unreadable_manifest_is_fatal_with_clear_message(mini_content: Path) -> None:
    (mini_content / "briefing.toml").write_text('title = "x"\n[[documents]\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"briefing\.toml:2: .*"):
        load_briefing(mini_content)
    (mini_content / "briefing.toml").unlink()
    with pytest.raises(ContentError, match=r"briefing\.toml: file not found"):
        load_briefing(mini_content)


def test_figure_naming_unknown_section_is_reported(mini_content: Path) -> None:
    path = mini_content / "figures.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "threat-assessment/grooming-on-social-gaming-platforms", "threat-assessment/nowhere"
        ),
        encoding="utf-8",
    )
    briefing = load_briefing(mini_content)
    assert briefing.figures == ()
    assert [str(p) for p in briefing.problems] == [
        "figures.toml:2: [[figures]] entry 1: unknown section 'threat-assessment/nowhere'"
    ]


def test_document_url_must_be_https(mini_content: Path) -> None:
    path = mini_content / "briefing.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("https://weprotect", "http://weprotect"),
        encoding="utf-8",
    )
    problems = _problems(mini_content)
    assert any("url must start with https://" in p for p in problems)


def test_find_theme_by_id_title_or_unique_prefix(briefing: Briefing) -> None:
    def found(wanted: str) -> str | None:
        theme = briefing.find_theme(wanted)
        return theme.id if theme else None

    assert found("voices") == "voices"
    assert found("Threat Assessment") == "threat-assessment"
    assert found("threat_assessment") == "threat-assessment"
    assert found("rec") == "recommendations"
    assert found("nowhere") is None
    assert found(" - ") is None


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_figure_whose_sentence_is_not_its_section_s_is_reported(mini_content: Path) -> None:
    _replace(mini_content / "figures.toml", "Shockingly, it was also", "Alarmingly, it was also")
    assert _problems(mini_content) == [
        "figures.toml:2: [[figures]] entry 1: 'quote' is not the text of section "
        "'threat-assessment/grooming-on-social-gaming-platforms'"
    ]


def test_a_document_address_must_say_what_it_is_the_address_of(mini_content: Path) -> None:
    _replace(mini_content / "briefing.toml", 'url_label = "full report"\n', "")
    problems = _problems(mini_content)
    assert problems[0] == (
        "briefing.toml:5: [[documents]] entry 1: 'url_label' must say what the url is the "
        "address of"
    )


def test_notes_and_links_are_checked_against_their_sections(mini_content: Path) -> None:
    (mini_content / "notes.toml").write_text(
        "[[marks]]\n"
        'section = "threat-assessment/financial-sexual-extortion"\n'
        'mark = "[not in the text]"\n'
        'reason = "x"\n\n'
        "[[notes]]\n"
        'section = "voices/jacqueline-beauchere"\n'
        'quote = "Jacqueline Beauchere"\n'
        'note = "The speaker line is part of the section."\n',
        encoding="utf-8",
    )
    (mini_content / "links.toml").write_text(
        "[[links]]\n"
        'finding = "threat-assessment/financial-sexual-extortion"\n'
        'kind = "statement"\n'
        'label = "Jacqueline Beauchere"\n'
        'justification = "Sextortion is falling."\n'
        'responses = ["voices/jacqueline-beauchere"]\n',
        encoding="utf-8",
    )
    briefing = load_briefing(mini_content)
    assert [str(p) for p in briefing.problems] == [
        "notes.toml:3: [[marks]] entry 1: '[not in the text]' is not in section "
        "'threat-assessment/financial-sexual-extortion'",
        "links.toml:5: [[links]] entry 1: 'justification' is not the source's words",
    ]
    assert [n.quote for n in briefing.notes] == ["Jacqueline Beauchere"]
    assert briefing.marks == () and briefing.links == ()
