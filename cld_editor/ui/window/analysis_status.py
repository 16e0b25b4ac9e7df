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

A summary can be long ("at least 100,000 loops (stopped at the loop limit; all loops of up to 37
links found): ..."), and the status bar's messages on its left (a tool's hint, Find Loops Again,
Arrange) are cut off where the summary begins. While a message shows, the summary gives it room:
it is shortened with "…" (never below a third of the bar), its whole text in its tooltip and in
the Loops panel; with no message it has all the room it needs again.

Once Count all loops has counted every loop of a listing a limit cut short, the summary gives
that count, as the Loops panel's census line does: "141,326 loops (100,000 listed): ..."
(:meth:`AnalysisStatus.show_loops`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QSizeGrip, QStatusBar, QToolButton, QWidget

from cld_editor.analysis.census import Census
from cld_editor.analysis.loops import LoopAnalysis
from cld_editor.core.text import plural
from cld_editor.ui.window.analysis_runner import AnalysisRunner

PROGRESS_DELAY_MS = 500
LOOKING = "Looking for loops…"
#: The widest count the progress label keeps room for (wider counts still show, and push).
WIDEST_COUNT = "Finding loops… 99,999,999 found"


#: No maximum width (Qt's QWIDGETSIZE_MAX).
NO_MAXIMUM = 16_777_215
#: The gap kept between a message and the summary, in pixels.
MESSAGE_GAP = 24


def counted_summary(census: Census, listed: int) -> str:
    """The summary of a complete count of all loops of a listing that holds ``listed`` of them:
    "141,326 loops (100,000 listed): 70,000 reinforcing, 71,326 balancing"."""
    kinds = census.kinds_text()
    return f"{plural(census.total, 'loop')} ({listed:,} listed)" + (": " + kinds if kinds else "")


class SummaryLabel(QLabel):
    """A one-line label that, given less room than its text needs, ends it with "…" and puts
    the whole text in its tooltip (``text()`` is always the whole text)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(self.fontMetrics().horizontalAdvance("…") + 4, hint.height())

    def setText(self, text: str) -> None:  # type: ignore[override]  # Qt's is not virtual
        super().setText(text)
        self._sync_tooltip()

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def shown_text(self) -> str:
        """The text as drawn: the whole of it, or its start and "…"."""
        return self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._sync_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)  # the widget's font and text colour
        flags = int(self.alignment()) | int(Qt.TextFlag.TextSingleLine)
        painter.drawText(self.contentsRect(), flags, self.shown_text())

    def _sync_tooltip(self) -> None:
        self.setToolTip(self.text() if self.is_elided() else "")


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
            "Stop the loop search and keep the loops of the lengths listed in full (Shift+F5)"
        )
        self.stop_button.clicked.connect(runner.cancel)
        #: Permanent widgets the window puts right of the progress widgets (the zoom).
        self.right_of_progress: list[QWidget] = []
        self.loop_summary = SummaryLabel(LOOKING)
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
        bar.messageChanged.connect(lambda _message: self._make_room())
        bar.installEventFilter(self)

    def set_summary(self, text: str | None) -> None:
        """The loop summary line (None: a new diagram, loops not known yet)."""
        self.loop_summary.setText(LOOKING if text is None else text)

    def show_loops(self, analysis: LoopAnalysis | None, census: Census | None = None) -> None:
        """The summary of ``analysis`` (None: not known yet). ``census``, a count of all loops
        of the diagram it describes: when complete and the listing stopped short, the summary
        gives every loop's count instead of the listing's "at least"."""
        if analysis is None:
            self.set_summary(None)
        elif census is not None and census.complete and not analysis.complete:
            self.set_summary(counted_summary(census, len(analysis.loops)))
        else:
            self.set_summary(analysis.summary_text())

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
        self.progress_label.setText(f"Finding loops… {self._found:,} found")

    def _on_analysis_ready(self, analysis: LoopAnalysis) -> None:
        if self._running:  # the shortest loops while the search goes on
            self._summary_current = True
            self.loop_summary.show()
            self._on_progressed(len(analysis.loops))
            return
        if self._announce:
            self._announce = False
            # The summary beside it says what was found; saying it twice would cut both.
            self.bar.showMessage("Found loops again", 8000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.bar and event.type() == QEvent.Type.Resize:
            self._make_room()
        return False

    def _make_room(self) -> None:
        """Let the summary shorten so the message on the left is seen whole (see the module
        docstring)."""
        message = self.bar.currentMessage()
        if not message:
            self.loop_summary.setMaximumWidth(NO_MAXIMUM)
            return
        # Right of the summary: the progress widgets while they show, the zoom, the size grip.
        others = sum(
            widget.sizeHint().width() + 6
            for widget in (*self._progress_widgets(), *self.right_of_progress)
            if widget.isVisible()
        )
        grips = sum(grip.width() for grip in self.bar.findChildren(QSizeGrip) if grip.isVisible())
        right = self.bar.width() - grips - others - 8
        room = right - self.bar.fontMetrics().horizontalAdvance(message) - MESSAGE_GAP
        self.loop_summary.setMaximumWidth(max(room, self.bar.width() // 3))

    def _show_progress(self, visible: bool) -> None:
        for widget in self._progress_widgets():
            widget.setVisible(visible)
        self.loop_summary.setVisible(not visible or self._summary_current)
        self._make_room()
