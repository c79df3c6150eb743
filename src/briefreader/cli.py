"""The ``briefreader`` command: the desktop reader by default, and subcommands for scripts.

The subcommands use the same core as the window. Exit status: 0 whether or not a search
matched, 1 when the briefing or the index cannot be used, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from briefreader import __version__
from briefreader.core.content_cache import BriefingCache
from briefreader.core.locations import Locations
from briefreader.core.model import Briefing, ContentError
from briefreader.exit_status import ExitStatus

if TYPE_CHECKING:
    from briefreader.core.search.searcher import SearchIndex

# The hidden argument of an index build worker: core/search/workers.py's WORKER_FLAG, written
# out here so that starting the window imports nothing more for it (a test holds the two equal).
WORKER_FLAG = "--build-index-part"


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefreader",
        description=(
            "Offline reader for the WeProtect Global Alliance 2023 briefing. "
            "With no command, opens the reader window."
        ),
    )
    parser.add_argument("--version", action="version", version=f"briefreader {__version__}")
    parser.add_argument(
        "--screenshot",
        metavar="FILE",
        help="render the main window to a PNG file and exit (works offscreen)",
    )
    parser.add_argument("--tab", metavar="THEME", help="with --screenshot: the theme tab to open")
    parser.add_argument(
        "--search", metavar="QUERY", help="with --screenshot: run a search and open its first hit"
    )
    parser.add_argument(
        "--dark", action="store_true", help="with --screenshot: use the dark appearance"
    )
    parser.add_argument(
        "--zoom",
        type=_zoom_percent,
        metavar="PERCENT",
        help="with --screenshot: text size in percent (60-240)",
    )
    parser.add_argument(
        "--size",
        type=_window_size,
        metavar="WxH",
        help="with --screenshot: the window's size in pixels (1440x900)",
    )
    parser.add_argument(
        "--panels",
        type=_panel_names,
        metavar="NAMES",
        help="with --screenshot: side panels to open, comma-separated: tray, figures",
    )
    parser.add_argument(
        "--switched",
        action="store_true",
        help="with --screenshot: start in the other appearance and switch (Ctrl+Shift+D)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    search = commands.add_parser("search", help="search the briefing")
    search.add_argument("query", help='words, "a phrase", OR, -word, prefix*, word~, theme:NAME')
    search.add_argument("--theme", help="only this theme (id or title)")
    search.add_argument("--limit", type=_positive_int, default=10, help="at most N hits (10)")
    search.add_argument("--json", action="store_true", help="print the hits as a JSON list")
    search.add_argument(
        "--explain",
        action="store_true",
        help="print one JSON object: what was searched (words ignored, other names, "
        "a corrected spelling), the figures that answer it, and the hits",
    )

    commands.add_parser("themes", help="list the themes and their sections")

    figures = commands.add_parser(
        "figures", help="list the headline figures, each with the source's own sentence"
    )
    figures.add_argument("--json", action="store_true", help="print them as a JSON list")

    commands.add_parser(
        "notes", help="the notes on the text: editor's marks and notes on the sources' errors"
    )

    show = commands.add_parser("show", help="print one section's text")
    show.add_argument("id", help="a section id, as listed by 'themes' or 'search --json'")

    build = commands.add_parser("index", help="build the search index if needed")
    build.add_argument("--rebuild", action="store_true", help="build it even if it is current")

    excerpt = commands.add_parser("excerpt", help="print a section with its citation")
    excerpt.add_argument("id", help="a section id, as in 'search --json'")
    excerpt.add_argument(
        "--format", choices=("plain", "markdown", "html"), default="plain", dest="fmt"
    )
    excerpt.add_argument("--style", choices=("short", "full"), default="full")
    return parser


def _zoom_percent(text: str) -> int:
    try:
        value = int(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a percentage: {text!r}") from None
    if not 60 <= value <= 240:
        raise argparse.ArgumentTypeError("must be between 60 and 240")
    return value


PANELS = ("tray", "figures")


def _window_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    try:
        size = (int(width), int(height))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1024x640") from None
    if not (640 <= size[0] <= 7680 and 400 <= size[1] <= 4320):
        raise argparse.ArgumentTypeError(f"{text!r}: width 640-7680, height 400-4320")
    return size


def _panel_names(text: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in PANELS]
    if unknown:
        raise argparse.ArgumentTypeError(f"no panel {unknown[0]!r}; panels: {', '.join(PANELS)}")
    return names


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 200:
        raise argparse.ArgumentTypeError("must be between 1 and 200")
    return value


# Control characters other than these would be run by a terminal, not shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_THEME_IN_QUERY = re.compile(r"(?:^|\s)[-+]?theme:", re.IGNORECASE)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [WORKER_FLAG]:
        # An index build worker started by this app (core/search/workers.py): before anything
        # else is parsed or imported, so that it never loads Qt. Not in --help.
        from briefreader.core.search import build_worker

        return build_worker.main(arguments[1:])
    for stream in (sys.stdout, sys.stderr):
        _safe_output(stream)
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader of our output went away (``| head``): not an error worth a traceback.
        sys.stderr.close()
        return ExitStatus.OK
    except KeyboardInterrupt:
        # Ctrl+C: the person asked us to stop; say nothing more than a shell would.
        print(file=sys.stderr)
        return ExitStatus.INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        extras = [args.tab, args.search, args.dark, args.zoom, args.size, args.panels]
        extras.append(args.switched)
        if any(extras) and not args.screenshot:
            parser.error(
                "--tab, --search, --dark, --zoom, --size, --panels and --switched "
                "go with --screenshot"
            )
        from briefreader.app import run_app  # Qt is imported only for the window

        return run_app(
            screenshot=args.screenshot,
            tab=args.tab,
            search=args.search,
            dark=args.dark,
            zoom=args.zoom,
            size=args.size,
            panels=args.panels or (),
            switched=args.switched,
        )
    if args.screenshot:
        parser.error("--screenshot opens the window; it does not go with a command")

    locations = Locations.resolve()
    cache = BriefingCache(locations.cache)
    try:
        briefing = cache.load(locations.content)
        cache.save()
    except ContentError as error:
        print(f"briefreader: the briefing cannot be loaded: {error}", file=sys.stderr)
        return ExitStatus.FAILED
    for problem in briefing.problems:
        print(f"briefreader: warning: {problem}", file=sys.stderr)

    if args.command == "themes":
        return _themes(briefing)
    if args.command == "figures":
        return _figures(briefing, as_json=args.json)
    if args.command == "notes":
        return _notes(briefing)
    if args.command == "show":
        return _show(briefing, args.id)
    if args.command == "index":
        return _index(briefing, locations, rebuild=args.rebuild)
    if args.command == "search":
        return _search(
            briefing,
            locations,
            args.query,
            args.theme,
            args.limit,
            as_json=args.json,
            explain=args.explain,
        )
    if args.command == "excerpt":
        return _excerpt(briefing, args.id, args.fmt, args.style)
    parser.error(f"unknown command {args.command}")
    return ExitStatus.USAGE  # parser.error exits; this keeps type checkers content


def _safe_output(stream: TextIO) -> None:
    # Quotes and dashes in the briefing must not crash a console with a legacy code page, and
    # bytes in the command line that are not UTF-8 reach Python as lone surrogates, which even
    # a UTF-8 stream refuses to print: replace what cannot be written, whatever the encoding.
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")


def _argument(text: str) -> str:
    """A command-line argument as text: bytes that were not UTF-8 become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def shown(text: str) -> str:
    """Text from the command line as it may be echoed to a terminal: control characters
    (an escape sequence could recolour or rewrite the screen) are shown escaped."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _usage_error(message: str) -> int:
    print(f"briefreader: error: {message}", file=sys.stderr)
    return ExitStatus.USAGE


def _themes(briefing: Briefing) -> int:
    for theme in briefing.themes:
        print(f"{theme.title} ({theme.id})")
        for section in theme.sections:
            print(f"  {section.id}  {section.title}")
    return ExitStatus.OK


def _figures(briefing: Briefing, *, as_json: bool) -> int:
    """Each figure: the app's summary (never quoted), the source's sentence (quoted), the credit."""
    from briefreader.core.excerpts import CitationStyle, citation, excerpt_from_figure, quoted

    rows = []
    for figure in briefing.figures:
        excerpt = excerpt_from_figure(briefing, figure)
        row: dict[str, object] = {
            "id": figure.id,
            "value": figure.value,
            "measure": figure.measure,
            "period": figure.period,
            "source": figure.source,
            "quote": figure.quote,
            "section": figure.section_id,
            "document": figure.document_id,
            "paragraphs": list(figure.paragraphs),
        }
        if figure.speaker:
            row["speaker"] = figure.speaker
        row["citation"] = citation(excerpt, CitationStyle.FULL)[2:] if excerpt else ""
        rows.append(row)
    if as_json:
        import json

        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return ExitStatus.OK
    for number, (figure, row) in enumerate(zip(briefing.figures, rows, strict=True), start=1):
        if number > 1:
            print()
        print(f"{figure.summary()} (source: {figure.source})")
        if figure.speaker:
            print(f"  stated by {figure.speaker}")
        print("\n".join(f"  {line}" if line else "" for line in quoted(figure.quote).split("\n")))
        print(f"  — {row['citation']}")
        print(f"  [{figure.id}, in {figure.section_id}]")
    return ExitStatus.OK


def _notes(briefing: Briefing) -> int:
    from briefreader.core.render import notes_on_the_text

    print(notes_on_the_text(briefing))
    return ExitStatus.OK


def _show(briefing: Briefing, section_id: str) -> int:
    section = briefing.section(section_id)
    if section is None:
        return _usage_error(f"no section {section_id!r}; 'briefreader themes' lists them")
    print(section.title)
    print()
    print(section.text)
    if section.speaker is not None:
        print()
        print(f"— {section.speaker.label()}")
    return ExitStatus.OK


def _open_index(briefing: Briefing, locations: Locations, *, rebuild: bool = False) -> SearchIndex:
    # Whoosh is imported only by the commands that search.
    from briefreader.core.search.searcher import SearchIndex

    search_index = SearchIndex(briefing, locations.index)
    status = search_index.rebuild() if rebuild else search_index.open_or_build()
    if status.warning:
        print(f"briefreader: warning: {status.warning}", file=sys.stderr)
    return search_index


def _index(briefing: Briefing, locations: Locations, *, rebuild: bool) -> int:
    status = _open_index(briefing, locations, rebuild=rebuild).status
    assert status is not None
    where = str(status.path) if status.path else "memory"
    if status.built:
        print(
            f"Built the index of {status.documents} sections in {status.seconds * 1000:.0f} ms "
            f"({status.reason}): {where}"
        )
    else:
        print(f"The index of {status.documents} sections is current: {where}")
    return ExitStatus.OK


def _search(
    briefing: Briefing,
    locations: Locations,
    text: str,
    theme: str | None,
    limit: int,
    *,
    as_json: bool,
    explain: bool = False,
) -> int:
    text = _argument(text)
    if theme is not None and _THEME_IN_QUERY.search(text):
        return _usage_error("give the theme once: either --theme or theme: in the query")
    if theme is not None:
        found = briefing.find_theme(theme)
        if found is None:
            names = ", ".join(t.id for t in briefing.themes)
            return _usage_error(f"no theme {theme!r}; themes: {names}")
        theme = found.id
    result = _open_index(briefing, locations).searcher().search(text, theme=theme, limit=limit)
    if as_json or explain:
        import json  # only here: opening the window (the default) does not need it

        data = result.explain() if explain else [hit.to_json() for hit in result.hits]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
        if result.message:
            print(f"briefreader: {shown(result.message)}", file=sys.stderr)
        return ExitStatus.OK

    bold = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("", "")
    titles = {t.id: t.title for t in briefing.themes}
    if result.searched_instead:
        print(f"Showing results for {shown(result.searched_instead)}.")
        print(f"Search instead for: {shown(_quoted(text))}")
    if result.hits:
        counts = ", ".join(f"{titles[t]} {n}" for t, n in result.theme_counts)
        noun = "passage matches" if result.total == 1 else "passages match"
        where = f" in {titles[result.theme]}" if result.theme else ""
        searched = shown(result.searched_instead or text)
        print(f"{result.total} {noun} “{searched}”{where} (all themes: {counts})")
    for typed, others in result.expansions:
        also = ", ".join(shown(o) for o in others)
        only = shown(_quoted(typed))
        print(f"Also searched: {also} (for {shown(typed)}; only the typed word: {only})")
    for answer in result.answers:
        period = f", {answer.period}" if answer.period else ""
        print(f"Figure: {answer.value} — {answer.measure}{period}. Source: {answer.source}")
        if answer.sentence:
            print(f"   “{shown(answer.sentence)}”")
        print(f"   {answer.section_id}")
    if result.message:
        print(shown(result.message))
    if result.suggestion:
        print(f"Did you mean: {shown(result.suggestion)}")
    for number, hit in enumerate(result.hits, start=1):
        print()
        print(f"{number}. {hit.section} — {hit.theme_title}")
        print(f"   {hit.marked_snippet(*bold)}")
        print(f"   {hit.id}")
    return ExitStatus.OK


def _quoted(text: str) -> str:
    """The query as typed, in quotation marks: searched as written, never corrected."""
    return text if text.startswith('"') and text.endswith('"') else f'"{text.strip()}"'


def _excerpt(briefing: Briefing, section_id: str, fmt: str, style: str) -> int:
    from briefreader.core.excerpts import CitationStyle, format_section_excerpt

    section = briefing.section(section_id)
    if section is None:
        return _usage_error(f"no section {section_id!r}; 'briefreader themes' lists them")
    formatted = format_section_excerpt(briefing, section, CitationStyle(style))
    print({"plain": formatted.plain, "markdown": formatted.markdown, "html": formatted.html}[fmt])
    return ExitStatus.OK
