"""The status bar's part for the live loop analysis: the loop summary, and while a search runs
longer than half a second, a count of the loops found so far, a busy bar and a Stop button.

Runs shorter than PROGRESS_DELAY_MS show no progress, so quick edits do not make the status
bar flicker. Stop keeps the loops of the lengths listed in full (none while the first search
runs: it lists loops in no order of length), and the summary says the analysis was stopped.
Stop sits at the right end of the bar and the count has room for its largest numbers, so
neither moves as the texts change. The two never disagree: while a search runs, the summary of
the diagram as it was before the edit is hidden, and once the search's shortest loops are
shown, the count is never below them (they arrive before the search's own count catches up).
``find_again``
runs the analysis anew and says so in the status bar, and again when it is done.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton

from cld_editor.analysis.loops import LoopAnalysis
from cld_editor.ui.window.analysis_runner import AnalysisRunner

PROGRESS_DELAY_MS = 500
LOOKING = "Looking for loops…"
#: The widest count the progress label keeps room for (wider counts still show, and push).
WIDEST_COUNT = "Finding loops… 99,999,999 so far"


class AnalysisStatus(QObject):
    def __init__(self, bar: QStatusBar, runner: AnalysisRunner) -> None:
        super().__init__(bar)
        self.bar = bar
        self.runner = runner
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the number of loops is not known in advance
        self.progress.setFixedWidth(120)
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("status_progress_label")
        self.progress_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.progress_label.setMinimumWidth(
            self.progress_label.fontMetrics().horizontalAdvance(WIDEST_COUNT) + 8
        )
        self.stop_button = QToolButton()
        self.stop_button.setText("Stop")
        self.stop_button.setToolTip(
            "Stop the loop search and keep the loops of the lengths listed in full"
        )
        self.stop_button.clicked.connect(runner.cancel)
        self.loop_summary = QLabel(LOOKING)
        self.loop_summary.setObjectName("status_loop_summary")
        # Permanent widgets line up from the right end in the order added: the summary first,
        # so its changing text grows leftwards and Stop stays at the right end.
        bar.addPermanentWidget(self.loop_summary)
        for widget in self._progress_widgets():
            bar.addPermanentWidget(widget)
            widget.hide()
        self._running = False
        self._found = 0  # loops found by the running search, as far as known
        self._summary_current = True  # the summary describes the run in progress (or none runs)
        self._announce = False  # Find Loops Again waits for its result
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PROGRESS_DELAY_MS)
        self._timer.timeout.connect(lambda: self._show_progress(True))
        runner.running_changed.connect(self._on_running_changed)
        runner.progressed.connect(self._on_progressed)
        runner.analysis_ready.connect(self._on_analysis_ready)

    def set_summary(self, text: str | None) -> None:
        """The loop summary line (None: a new diagram, loops not known yet)."""
        self.loop_summary.setText(LOOKING if text is None else text)

    def find_again(self) -> None:
        """Loops > Find Loops Again: analyse the diagram anew and say so."""
        self._announce = True
        self.bar.showMessage("Finding loops again…")
        self.runner.run_now(force=True)

    def _progress_widgets(self) -> tuple[QLabel, QProgressBar, QToolButton]:
        return (self.progress_label, self.progress, self.stop_button)

    def _on_running_changed(self, running: bool) -> None:
        self._running = running
        if running:
            self._found = 0
            self._summary_current = False
            self.progress_label.setText("Finding loops…")
            self._timer.start()
        else:
            self._timer.stop()
            self._show_progress(False)

    def _on_progressed(self, found: int) -> None:
        self._found = max(self._found, found)
        self.progress_label.setText(f"Finding loops… {self._found:,} so far")

    def _on_analysis_ready(self, analysis: LoopAnalysis) -> None:
        if self._running:  # the shortest loops while the search goes on
            self._summary_current = True
            self.loop_summary.show()
            self._on_progressed(len(analysis.loops))
            return
        if self._announce:
            self._announce = False
            self.bar.showMessage(f"Found loops again: {analysis.summary_text()}", 8000)

    def _show_progress(self, visible: bool) -> None:
        for widget in self._progress_widgets():
            widget.setVisible(visible)
        self.loop_summary.setVisible(not visible or self._summary_current)
