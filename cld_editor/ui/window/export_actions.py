"""What the window's export actions do: File > Export Image…, File > Export Report… and
Edit > Copy Image, each one call with the current diagram, latest analysis, selection and
highlighted loop; :class:`WindowExports` gathers those from a main window.

Failures are told in a message box (the reason from
:class:`~cld_editor.ui.drawing.export.ExportError`) and the functions return None or False;
nothing here raises for something the user can fix. A diagram whose title was never set is
exported under its file's name. The window's Export Report makes its report on worker threads
(:mod:`.report_worker`): at once for a small diagram, else in the background with a busy bar
and Cancel in the status bar, the action disabled meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from cld_editor.analysis.loops import Loop, LoopAnalysis, find_loops
from cld_editor.core.model import Diagram, stem_of_file_name, titled_after_file
from cld_editor.core.text import file_stem, plural
from cld_editor.ui.drawing import export
from cld_editor.ui.window import message_box
from cld_editor.ui.window.dialog_folders import export_folder, remember_export_folder
from cld_editor.ui.window.export_dialog import ExportImageDialog
from cld_editor.ui.window.panels.loop_label_edits import loop_in_diagram
from cld_editor.ui.window.report_worker import (
    BACKGROUND_FROM,
    WAIT_MS,
    ReportError,
    ReportJob,
    ReportProgress,
    ReportWriter,
)

if TYPE_CHECKING:
    from cld_editor.ui.window.main_window import MainWindow

REPORT_FILTER = "HTML report (*.html);;Markdown report (*.md)"


def export_image_with_dialog(
    parent: QWidget | None,
    diagram: Diagram,
    analysis: LoopAnalysis | None,
    *,
    selected_ids: Sequence[str] = (),
    highlighted_loop: Loop | str | None = None,
    suggested_path: str | Path | None = None,
) -> list[Path]:
    """File > Export Image…: the paths written (the image, then any images of its loops), none
    when cancelled (or copied)."""
    dialog = ExportImageDialog(
        diagram,
        analysis,
        selected_ids=selected_ids,
        highlighted_loop=highlighted_loop,
        suggested_path=suggested_path,
        parent=parent,
    )
    dialog.exec()
    return [dialog.written, *dialog.loop_images] if dialog.written is not None else []


def export_report_with_dialog(
    parent: QWidget | None,
    diagram: Diagram,
    analysis: LoopAnalysis | None,
    *,
    suggested_path: str | Path | None = None,
) -> list[Path] | None:
    """File > Export Report… on this thread: pick an .html or .md file and write the report
    (the paths written), or None when cancelled or failed (after saying why)."""
    named = Path(suggested_path) if suggested_path else None
    path = choose_report_path(parent, diagram, named)
    if path is None:
        return None
    written = write_report_or_warn(parent, diagram, analysis, path)
    if written:
        remember_export_folder(path.parent, named)
    return written


def choose_report_path(parent: QWidget | None, diagram: Diagram, named: Path | None) -> Path | None:
    """Ask where the report goes (an .html or .md path), or None when cancelled; the dialog
    starts beside ``named`` (the diagram's file's report name) or in the export folder."""
    start = export_folder(named) / (named.name if named else file_stem(diagram.title))
    name, chosen = QFileDialog.getSaveFileName(
        parent, "Export Report", str(start.with_suffix(".html")), REPORT_FILTER
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in export.REPORT_SUFFIXES:
        path = path.with_suffix(".md" if chosen.startswith("Markdown") else ".html")
    return path


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
        message_box.warn(parent, "Export Report", f"The report was not written: {exc}.")
        return None
    finally:
        QGuiApplication.restoreOverrideCursor()


def copy_image_or_warn(
    parent: QWidget | None,
    diagram: Diagram,
    analysis: LoopAnalysis | None,
    *,
    selected_ids: Sequence[str] = (),
    highlighted_loop: Loop | str | None = None,
) -> bool:
    """Edit > Copy Image: the selection (or the whole diagram when nothing is selected), with
    the highlighted loop highlighted, onto the clipboard; a message box says why it failed."""
    options = export.ExportOptions(
        loop=highlighted_loop, only=frozenset(selected_ids) if selected_ids else None
    )
    try:
        export.copy_image_to_clipboard(diagram, analysis, options)
    except export.ExportError as exc:
        message_box.warn(parent, "Copy Image", f"The image was not copied: {exc}.")
        return False
    return True


class WindowExports:
    """The export commands of one main window: they take its diagram, its latest analysis (a
    fresh one when the diagram's loops changed since), its selected variables and the loop
    highlighted on the canvas, and suggest a file named after the diagram's file."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._reports: ReportWriter | None = None
        self._progress: ReportProgress | None = None
        #: How long Export Report waits before leaving the report to the background (ms).
        self.wait_ms = WAIT_MS
        #: Diagrams with at least this many links may have their report made in the background.
        self.background_from = BACKGROUND_FROM
        #: Where the paths of a report written while :meth:`report` waits are gathered.
        self._done_at_once: list[Path] | None = None
        self.cancel_report_action: QAction | None = None

    def _analysis(self) -> LoopAnalysis | None:
        runner = self.window.runner
        runner.run_now()  # only re-tags the last result when the loops cannot have changed
        return None if runner.pending else self.window.loops_panel.analysis

    def _analysis_or_run(self) -> LoopAnalysis:
        analysis = self._analysis()
        if analysis is not None:
            return analysis
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return find_loops(self.window.document.diagram)
        finally:
            QGuiApplication.restoreOverrideCursor()

    def _highlighted(self) -> Loop | None:
        """The loop highlighted on the canvas, itself (not its name: it may be one of the
        independent set that the listing does not hold, and a fresh analysis may give its name
        to another loop); None when an edit since has broken it."""
        loop = self.window.scene.highlighted_loop()
        if loop is None or not loop_in_diagram(self.window.document, loop):
            return None
        return loop

    def _suggested(self, suffix: str) -> Path | None:
        path = self.window.files.path
        if path is None:
            return None
        return path.with_name(stem_of_file_name(path) + suffix)

    def _diagram(self) -> Diagram:
        """The diagram to export, titled after its file when its title was never set."""
        path = self.window.files.path
        return titled_after_file(self.window.document.diagram, path.name if path else None)

    def _tell(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def image(self) -> Path | None:
        """File > Export Image…"""
        written = export_image_with_dialog(
            self.window,
            self._diagram(),
            self._analysis_or_run(),
            selected_ids=self.window.scene.selected_variable_ids(),
            highlighted_loop=self._highlighted(),
            suggested_path=self._suggested(".png"),
        )
        if not written:
            return None
        more = len(written) - 1
        loops = f" and {plural(more, 'loop image')} in {written[-1].parent.name}" if more else ""
        self._tell(f"Exported {written[0]}{loops}")
        return written[0]

    @property
    def reports(self) -> ReportWriter:
        """The window's report writer (made on first use, with its status bar part)."""
        if self._reports is None:
            self._reports = ReportWriter(self.window)
            cancel = QAction("Cancel Report", self.window)
            cancel.setObjectName("report_cancel_action")
            cancel.triggered.connect(self.cancel_report)
            self.cancel_report_action = cancel
            self._progress = ReportProgress(self.window.statusBar(), cancel)
            self._reports.running_changed.connect(self._on_report_running)
            self._reports.written.connect(self._on_report_written)
            self._reports.failed.connect(self._on_report_failed)
        return self._reports

    def report(self) -> list[Path] | None:
        """File > Export Report…: the report of the diagram as it is now, made on worker
        threads. A diagram of fewer than ``background_from`` links waits for it (as before);
        a larger one for at most ``wait_ms``, then leaves it to the background with a busy bar
        and Cancel. The paths written when it was done at once; else None (the status bar says
        when it is written, or a message box why not)."""
        reports = self.reports
        if reports.running:
            self._tell("A report is being written: wait for it, or cancel it")
            return None
        # Snapshots: records are immutable, so the workers read them while the user edits.
        diagram, analysis = self._diagram(), self._analysis()
        # A count of all loops made in the Loops panel completes a listing that stopped short.
        census = self.window.loops_panel.sets.counted(diagram)
        suggested = self._suggested(".html")
        path = choose_report_path(self.window, diagram, suggested)
        if path is None:
            return None
        try:
            job = reports.start(diagram, analysis, path, suggested, census)
        except ReportError as exc:
            message_box.warn(self.window, "Export Report", f"The report was not written: {exc}.")
            return None
        done: list[Path] = []
        self._done_at_once = done
        try:
            # Never a wait on the GUI thread behind a cancelled report still running.
            small = len(diagram.links) < self.background_from and not reports.behind
            if reports.wait(None if small else self.wait_ms / 1000):
                return done or None
        finally:
            self._done_at_once = None
        if job is not None and self._progress is not None and reports.job is job:
            self._progress.show_job(job)
        return None

    def cancel_report(self) -> bool:
        """Stop the report being made in the background (nothing is written)."""
        job = self.reports.cancel()
        if job is None:
            return False
        self._tell(f"Report {job.path.name} cancelled: nothing was written")
        return True

    def _on_report_running(self, running: bool) -> None:
        actions = getattr(self.window, "actions", None)
        if actions is not None:
            actions.export_report.setEnabled(not running)
        if not running and self._progress is not None:
            self._progress.hide()

    def _on_report_written(self, job: ReportJob, written: list[Path]) -> None:
        remember_export_folder(job.path.parent, job.suggested)
        # The report itself, not the first file written (a Markdown report's picture).
        self._tell(
            f"Wrote the report {job.path}" + (" and its diagram" if len(written) > 1 else "")
        )
        if self._done_at_once is not None:
            self._done_at_once.extend(written)

    def _on_report_failed(self, job: ReportJob, reason: str) -> None:
        message_box.warn(self.window, "Export Report", f"The report was not written: {reason}.")

    def copy_image(self) -> bool:
        """Edit > Copy Image"""
        selected = self.window.scene.selected_variable_ids()
        copied = copy_image_or_warn(
            self.window,
            self._diagram(),
            self._analysis_or_run(),
            selected_ids=selected,
            highlighted_loop=self._highlighted(),
        )
        if copied:
            self._tell("Copied a picture of the " + ("selection" if selected else "diagram"))
        return copied
