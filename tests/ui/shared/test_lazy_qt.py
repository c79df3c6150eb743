"""The numbers the first frame sets Qt's enum properties by are Qt's own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListView, QToolButton
from pytestqt.qtbot import QtBot

from briefreader.ui.reading import reader, toc, toc_roles
from briefreader.ui.reading.controller import TOOL_BUTTON_TEXT_ONLY
from briefreader.ui.shared.lazy_qt import Qt as LazyQt
from briefreader.ui.shared.lazy_qt import set_enum_property
from briefreader.ui.shared.side_dock import SIDE_AREAS


def test_the_numbers_are_qts() -> None:
    areas = Qt.DockWidgetArea
    assert (
        areas.LeftDockWidgetArea | areas.RightDockWidgetArea | areas.BottomDockWidgetArea
    ).value == SIDE_AREAS
    flags = Qt.TextInteractionFlag
    assert flags.TextBrowserInteraction.value == reader._TEXT_BROWSER_INTERACTION
    assert flags.TextSelectableByKeyboard.value == reader._TEXT_SELECTABLE_BY_KEYBOARD
    assert Qt.TextElideMode.ElideNone.value == toc.ELIDE_NONE
    assert Qt.ScrollBarPolicy.ScrollBarAlwaysOff.value == toc.SCROLL_BAR_ALWAYS_OFF
    assert Qt.ItemDataRole.UserRole + 1 == toc_roles.SECTION_ID_ROLE
    assert Qt.ToolButtonStyle.ToolButtonTextOnly.value == TOOL_BUTTON_TEXT_ONLY


def test_a_property_set_by_number_reads_back_as_the_enum(qtbot: QtBot) -> None:
    view = QListView()
    qtbot.addWidget(view)
    set_enum_property(view, "textElideMode", toc.ELIDE_NONE)
    assert view.textElideMode() == Qt.TextElideMode.ElideNone
    button = QToolButton()
    qtbot.addWidget(button)
    set_enum_property(button, "toolButtonStyle", TOOL_BUTTON_TEXT_ONLY)
    assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextOnly


def test_a_wrong_name_is_an_error_not_ignored(qtbot: QtBot) -> None:
    view = QListView()
    qtbot.addWidget(view)
    with pytest.raises(ValueError, match="no enum property 'textElide'"):
        set_enum_property(view, "textElide", 1)
    with pytest.raises(ValueError, match="no enum property 'wordWrap'"):
        set_enum_property(view, "wordWrap", 1)  # a property, but not an enum


def test_the_lazy_namespace_is_qts() -> None:
    assert LazyQt.DockWidgetArea is Qt.DockWidgetArea
    assert LazyQt.Key.Key_Escape == Qt.Key.Key_Escape
