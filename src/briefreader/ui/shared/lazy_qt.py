"""``Qt``, the namespace of Qt's enums, set up by PySide only when one of them is first used.

PySide makes Python enums of a class's enums when the class is first used, and ``Qt`` holds
well over a hundred of them: its first use took 18-35 ms of a start whose bare Qt window
paints in about 160 ms (bench/README.md). The window's first frame therefore uses none of
them (a widget's enum property is set by name with :func:`set_enum_property`, docks are put
back from the saved layout), and modules that use them later import ``Qt`` from here::

    if TYPE_CHECKING:
        from PySide6.QtCore import Qt
    else:
        from briefreader.ui.shared.lazy_qt import Qt

so that importing them, or a default argument, does not set the namespace up. A test starts
the app and checks that ``Qt`` is still not set up when the first frame is painted.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject


class _LazyQt:
    """Forwards each attribute to PySide's ``Qt``, imported on first use."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        from PySide6.QtCore import Qt

        return getattr(Qt, name)

    def __repr__(self) -> str:
        return "<Qt, set up on first use>"


Qt: Any = _LazyQt()


def set_enum_property(widget: QObject, name: str, value: int) -> None:
    """Set a Qt property of enum type from its C++ value, without PySide's enum classes.

    Qt converts the number to the property's enum; a name or value Qt does not know is a
    programming error, raised at once rather than ignored.
    """
    meta = widget.metaObject()
    index = meta.indexOfProperty(name)
    if index < 0 or not meta.property(index).isEnumType():
        raise ValueError(f"{type(widget).__name__} has no enum property {name!r}")
    if not widget.setProperty(name, value):
        raise ValueError(f"{type(widget).__name__}.{name} cannot be set to {value}")
