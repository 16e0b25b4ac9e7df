"""What the window's export actions do: File > Export Image…, File > Export Report… and
Edit > Copy Image, each one call the main window makes with its current diagram, latest
analysis, selection and highlighted loop.

Failures are told in a message box (the reason from :class:`~cld_editor.ui.export.ExportError`)
and the functions return None or False; nothing here raises for something the user can fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..analysis.loops import LoopAnalysis, find_loops
from ..core.model import Diagram
from . import export
from .export_dialog import ExportImageDialog, file_stem

REPORT_FILTER = "HTML report (*.html);;Markdown report (*.md)"


def export_image_with_dialog(
    parent: QWidget | None,
    diagram: Diagram,
    analysis: LoopAnalysis | None,
    *,
    selected_ids: Sequence[str] = (),
    highlighted_loop: str | None = None,
    suggested_path: str | Path | None = None,
) -> Path | None:
    """File > Export Image…: the path written, or None when cancelled (or copied)."""
    dialog = ExportImageDialog(
        diagram,
        analysis,
        selected_ids=selected_ids,
        highlighted_loop=highlighted_loop,
        suggested_path=suggested_path,
        parent=parent,
    )
    dialog.exec()
    return dialog.written


def export_report_with_dialog(
    parent: QWidget | None,
    diagram: Diagram,
    analysis: LoopAnalysis | None,
    *,
    suggested_path: str | Path | None = None,
) -> list[Path] | None:
    """File > Export Report…: pick an .html or .md file and write the report (the paths
    written), or None when cancelled or failed (after saying why)."""
    start = Path(suggested_path) if suggested_path else Path.home() / file_stem(diagram.title)
    name, chosen = QFileDialog.getSaveFileName(
        parent, "Export Report", str(start.with_suffix(".html")), REPORT_FILTER
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in export.REPORT_SUFFIXES:
        path = path.with_suffix(".md" if chosen.startswith("Markdown") else ".html")
    return write_report_or_warn(parent, diagram, analysis, path)


def write_report_or_warn(
    parent: QWidget | None, diagram: Diagram, analysis: LoopAnalysis | None, path: Path
) -> list[Path] | None:
    """Write the report to ``path``; a message box says why when it fails."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        # The window's analysis may still be running; the report needs a finished one.
        if analysis is None:
            analysis = find_loops(diagram)
        return export.write_report(diagram, analysis, path)
    except export.ExportError as exc:
        QMessageBox.warning(parent, "Export Report", f"The report was not written: {exc}.")
        return None
    finally:
        QGuiApplication.restoreOverrideCursor()


def copy_image_or_warn(
    parent: QWidget | None,
    diagram: Diagram,
    analysis: LoopAnalysis | None,
    *,
    selected_ids: Sequence[str] = (),
    highlighted_loop: str | None = None,
) -> bool:
    """Edit > Copy Image: the selection (or the whole diagram when nothing is selected), with
    the highlighted loop highlighted, onto the clipboard; a message box says why it failed."""
    options = export.ExportOptions(
        loop=highlighted_loop, only=frozenset(selected_ids) if selected_ids else None
    )
    try:
        export.copy_image_to_clipboard(diagram, analysis, options)
    except export.ExportError as exc:
        QMessageBox.warning(parent, "Copy Image", f"The image was not copied: {exc}.")
        return False
    return True
