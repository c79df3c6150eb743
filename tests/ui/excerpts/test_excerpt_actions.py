"""Copy with citation from the reader's selection, in the remembered or the other style."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from briefreader.core.content import load_briefing
from briefreader.core.excerpts import CitationStyle, Excerpt
from briefreader.core.model import Briefing
from briefreader.core.render import render_theme
from briefreader.ui.excerpts.actions import NOTHING_SELECTED, ExcerptActions, selection_excerpts
from briefreader.ui.reading.reader import ReaderView
from briefreader.ui.shared.settings import AppSettings

MINI = Path(__file__).resolve().parents[2] / "data" / "mini"
PRESS = "Alarming escalation in child sexual abuse online revealed by Global Threat Assessment 2023"


@pytest.fixture
def briefing() -> Briefing:
    return load_briefing(MINI)


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def reader(qtbot: QtBot, briefing: Briefing) -> ReaderView:
    theme = briefing.theme("threat-assessment")
    assert theme is not None
    page = render_theme(briefing, theme)
    view = ReaderView(theme.id)
    qtbot.addWidget(view)
    view.set_page(page.html, [e.anchor for e in page.toc], "")
    view.resize(800, 600)
    view.show()
    return view


def select(reader: ReaderView, words: str, through: str | None = None) -> None:
    text = reader.document().toPlainText()
    start = text.index(words)
    end = text.index(through) + len(through) if through else start + len(words)
    cursor = QTextCursor(reader.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)


def test_selection_gives_exact_words_and_its_section(
    briefing: Briefing, reader: ReaderView
) -> None:
    select(reader, "it was also revealed that conversations with children")
    (excerpt,) = selection_excerpts(briefing, reader)
    assert excerpt.quote == "it was also revealed that conversations with children"
    assert excerpt.source.section_id == "threat-assessment/grooming-on-social-gaming-platforms"


def test_a_loose_drag_is_widened_to_whole_words(briefing: Briefing, reader: ReaderView) -> None:
    select(reader, "rage grooming time of ju")  # cut at both ends, as a quick drag does
    (excerpt,) = selection_excerpts(briefing, reader)
    assert excerpt.quote == "average grooming time of just"
    # The reader's own selection is left as it was: plain Ctrl+C copies exactly that.
    assert reader.textCursor().selectedText() == "rage grooming time of ju"


def test_selection_over_a_heading_gives_one_excerpt_per_section(
    briefing: Briefing, reader: ReaderView
) -> None:
    select(reader, "just 45 minutes.", through="The research found")
    excerpts = selection_excerpts(briefing, reader)
    # The heading between them is the editors' label: cited (as ours), never quoted.
    assert [e.quote for e in excerpts] == ["just 45 minutes.", "The research found"]
    assert [[s.section_id for s in e.sources] for e in excerpts] == [
        ["threat-assessment/grooming-on-social-gaming-platforms"],
        ["threat-assessment/financial-sexual-extortion"],
    ]


def test_no_selection_gives_nothing(briefing: Briefing, reader: ReaderView) -> None:
    assert selection_excerpts(briefing, reader) == ()


def test_shortcut_copies_with_remembered_style_and_other_style_once(
    qtbot: QtBot, briefing: Briefing, reader: ReaderView, settings: AppSettings
) -> None:
    actions = ExcerptActions(settings)
    reader.addActions([actions.copy_action, actions.copy_other_action])
    actions.set_provider(lambda: selection_excerpts(briefing, reader))
    actions.set_style(CitationStyle.SHORT)
    select(reader, "an average grooming time of just 45 minutes.")
    reader.setFocus()

    with qtbot.waitSignal(actions.status_message) as copied:
        QTest.keyClick(reader, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    assert "short citation" in copied.args[0]
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == (
        "“an average grooming time of just 45 minutes.”\n"
        f"— {PRESS} (press release), WeProtect Global Alliance, 17 October 2023, para. 5"
    )

    modifiers = (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier
    )
    with qtbot.waitSignal(actions.status_message):
        QTest.keyClick(reader, Qt.Key.Key_C, modifiers)
    assert clipboard.text().endswith("https://weprotect.org/global-threat-assessment-23/")
    assert "[editors' label: Grooming on social gaming platforms]" in clipboard.text()
    assert actions.style is CitationStyle.SHORT  # the other style was used once only


def test_plain_ctrl_c_still_copies_only_the_text(qtbot: QtBot, reader: ReaderView) -> None:
    select(reader, "an average grooming time")
    reader.setFocus()
    QTest.keyClick(reader, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "an average grooming time"


def test_style_is_remembered(settings: AppSettings) -> None:
    assert settings.citation_style is CitationStyle.FULL
    actions = ExcerptActions(settings)
    actions.short_action.trigger()
    assert actions.style is CitationStyle.SHORT
    assert settings.qsettings.value("excerpts/citation-style") == "short"
    settings.sync()
    again = AppSettings(QSettings(settings.file_name(), QSettings.Format.IniFormat))
    assert again.citation_style is CitationStyle.SHORT
    assert ExcerptActions(again).short_action.isChecked()
    again.qsettings.setValue("excerpts/citation-style", "fancy")  # hand-edited
    again.sync()
    edited = AppSettings(QSettings(settings.file_name(), QSettings.Format.IniFormat))
    assert edited.citation_style is CitationStyle.FULL
    assert ExcerptActions(edited).full_action.isChecked()


def test_nothing_to_copy_says_what_to_do(qtbot: QtBot, settings: AppSettings) -> None:
    actions = ExcerptActions(settings)
    with qtbot.waitSignal(actions.status_message) as said:
        actions.copy_action.trigger()
    assert said.args == [NOTHING_SELECTED]


def test_context_menu_entries_act_on_their_passage(
    qtbot: QtBot, briefing: Briefing, settings: AppSettings
) -> None:
    from briefreader.core.excerpts import excerpt_from_section

    section = briefing.section("threat-assessment/safety-by-design")
    assert section is not None
    excerpt = excerpt_from_section(briefing, section)
    actions = ExcerptActions(settings)
    added: list[Excerpt] = []
    actions.add_requested.connect(added.append)
    menu = QMenu()
    actions.add_to_menu(menu, excerpt)
    entries = {a.text(): a for a in menu.actions() if a.text()}
    assert set(entries) == {
        "Copy with Citation (Full)",
        "Copy with Short Citation",
        "Add to Excerpt Tray",
    }
    entries["Copy with Short Citation"].trigger()
    assert (
        QGuiApplication.clipboard()
        .text()
        .endswith("17 October 2023, “Adopt a Safety by Design Approach”, para. 14")
    )
    entries["Add to Excerpt Tray"].trigger()
    assert added == [excerpt]
    empty = QMenu()
    actions.add_to_menu(empty, None)
    assert not any(a.isEnabled() for a in empty.actions() if a.text())
