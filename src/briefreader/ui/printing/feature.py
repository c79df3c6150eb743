"""File ▸ Print… (Ctrl+P) and File ▸ Save Theme as PDF… (Ctrl+Shift+S) for the open theme,
attached to the window through ``WindowHost``.

The file dialog, the print dialog and the messages are on the GUI thread; the page is laid
out and painted on a worker (``BackgroundTasks``). Save as PDF never touches the print
system. Print does, by definition, and only when the reader asks to print: the print
support module is imported then, not before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence, QPagedPaintDevice
from PySide6.QtWidgets import QMessageBox

from briefreader.ui.printing.theme_pdf import print_theme, save_theme_pdf
from briefreader.ui.shared.host import WindowHost
from briefreader.ui.shared.tasks import Task

PRINT_SHORTCUT = "Ctrl+P"
SAVE_PDF_SHORTCUT = "Ctrl+Shift+S"

# Asks the reader for a printer; None if they cancel. Tests give one that needs no dialog.
PrinterChooser = Callable[[str], QPagedPaintDevice | None]
# Asks for a file name to save the PDF as; None if they cancel.
PathChooser = Callable[[Path], Path | None]


class PrintFeature(QObject):
    """Print and Save as PDF for the theme open in the window."""

    def __init__(self, host: WindowHost) -> None:
        window = host.widget()
        super().__init__(window)
        self.host = host
        self.last_folder: Path | None = None
        self.choose_printer: PrinterChooser = self._print_dialog
        self.choose_path: PathChooser = self._file_dialog
        self._printer: QPagedPaintDevice | None = None  # kept alive while the worker paints

        menu = host.file_menu
        first = menu.actions()[0] if menu.actions() else None
        self.print_action = QAction("&Print Theme…", self)
        self.print_action.setShortcut(QKeySequence(PRINT_SHORTCUT))
        self.print_action.setStatusTip("Print the open theme, with its sources")
        self.print_action.triggered.connect(self.print_current)
        self.save_pdf_action = QAction("Save Theme as P&DF…", self)
        self.save_pdf_action.setShortcut(QKeySequence(SAVE_PDF_SHORTCUT))
        self.save_pdf_action.setStatusTip("Save the open theme as a PDF, with its sources")
        self.save_pdf_action.triggered.connect(self.save_current_as_pdf)
        for action in (self.print_action, self.save_pdf_action):
            if first is None:
                menu.addAction(action)
            else:
                menu.insertAction(first, action)
            window.addAction(action)
        if first is not None:
            menu.insertSeparator(first)

    def _theme(self) -> tuple[str, str]:
        theme_id = self.host.current_theme_id()
        theme = self.host.briefing.theme(theme_id)
        return theme_id, theme.title if theme is not None else theme_id

    # -- save as PDF -------------------------------------------------------------------------

    def _file_dialog(self, suggested: Path) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _filter = QFileDialog.getSaveFileName(
            self.host.widget(), "Save Theme as PDF", str(suggested), "PDF (*.pdf)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    @Slot()
    def save_current_as_pdf(self) -> Task[Path] | None:
        theme_id, _title = self._theme()
        folder = self.last_folder or Path.home()
        name = f"{theme_id.replace('/', '-')}-{date.today().isoformat()}.pdf"
        path = self.choose_path(folder / name)
        if path is None:
            return None
        return self.save_as_pdf(theme_id, path)

    def save_as_pdf(self, theme_id: str, path: Path) -> Task[Path]:
        """Write the theme to ``path`` on a worker; the status bar says how it went."""
        briefing = self.host.briefing
        self.host.show_status(f"Saving the theme as {path}…")
        return self.host.tasks.run(
            lambda token: save_theme_pdf(briefing, theme_id, path, token),
            self._on_saved,
            lambda error: self._failed(f"The theme was not saved as {path}", error),
        )

    def _on_saved(self, path: Path) -> None:
        self.last_folder = path.parent
        self.host.announce(f"Saved the theme as {path}")

    # -- print -------------------------------------------------------------------------------

    def _print_dialog(self, title: str) -> QPagedPaintDevice | None:
        # The print system, only now that the reader has asked to print.
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        printer.setCreator("BriefReader")
        dialog = QPrintDialog(printer, self.host.widget())
        dialog.setWindowTitle(f"Print {title}")
        accepted = dialog.exec() == QPrintDialog.DialogCode.Accepted
        dialog.deleteLater()
        return printer if accepted else None

    @Slot()
    def print_current(self) -> Task[int] | None:
        theme_id, title = self._theme()
        printer = self.choose_printer(title)
        if printer is None:
            return None
        self._printer = printer
        briefing = self.host.briefing
        self.host.show_status(f"Printing {title}…")
        return self.host.tasks.run(
            lambda token: print_theme(briefing, theme_id, printer, token),
            lambda pages: self._on_printed(title, pages),
            lambda error: self._failed(f"{title} was not printed", error),
        )

    def _on_printed(self, title: str, pages: int) -> None:
        self._printer = None
        self.host.announce(f"Sent {title} to the printer ({pages} page{'s' * (pages != 1)})")

    # -- failure -----------------------------------------------------------------------------

    def _failed(self, what: str, error: BaseException) -> None:
        self._printer = None
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        message = f"{what}: {reason or type(error).__name__}"
        self.host.show_status(message, 20000)
        box = QMessageBox(QMessageBox.Icon.Warning, "BriefReader", message,
                          QMessageBox.StandardButton.Ok, self.host.widget())  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
