"""The status bar's part for the live loop analysis: the loop summary, and while a search runs
longer than half a second, a busy bar, a count of the loops found so far and a Stop button.

Runs shorter than PROGRESS_DELAY_MS show no progress, so quick edits do not make the status
bar flicker. Stop keeps the loops found so far (the runner reports them as a partial analysis).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton

from cld_editor.ui.window.analysis_runner import AnalysisRunner

PROGRESS_DELAY_MS = 500
LOOKING = "Looking for loops…"


class AnalysisStatus(QObject):
    def __init__(self, bar: QStatusBar, runner: AnalysisRunner) -> None:
        super().__init__(bar)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the number of loops is not known in advance
        self.progress.setMaximumWidth(140)
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        self.stop_button = QToolButton()
        self.stop_button.setText("Stop")
        self.stop_button.setToolTip("Stop the loop search and keep the loops found so far")
        self.stop_button.clicked.connect(runner.cancel)
        self.loop_summary = QLabel(LOOKING)
        self.loop_summary.setObjectName("status_loop_summary")
        for widget in self._progress_widgets():
            bar.addPermanentWidget(widget)
            widget.hide()
        bar.addPermanentWidget(self.loop_summary)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PROGRESS_DELAY_MS)
        self._timer.timeout.connect(lambda: self._show_progress(True))
        runner.running_changed.connect(self._on_running_changed)
        runner.progressed.connect(
            lambda n: self.progress_label.setText(f"Finding loops… {n:,} so far")
        )

    def set_summary(self, text: str | None) -> None:
        """The loop summary line (None: a new diagram, loops not known yet)."""
        self.loop_summary.setText(LOOKING if text is None else text)

    def _progress_widgets(self) -> tuple[QLabel, QProgressBar, QToolButton]:
        return (self.progress_label, self.progress, self.stop_button)

    def _on_running_changed(self, running: bool) -> None:
        if running:
            self.progress_label.setText("Finding loops…")
            self._timer.start()
        else:
            self._timer.stop()
            self._show_progress(False)

    def _show_progress(self, visible: bool) -> None:
        for widget in self._progress_widgets():
            widget.setVisible(visible)
