"""Live loop analysis: runs :func:`find_loops` on a worker thread after edits, never on the GUI.

The :class:`AnalysisRunner` listens to a Document. The first change after a quiet spell is analysed
at once; changes that follow it within the debounce delay (a burst: typing, nudging) restart a
short timer, so only the last of them is analysed. The runner snapshots the diagram with its
revision and hands it to a worker living on its own QThread. When the last result was complete and
the edit only added, removed or re-signed a few links, the worker derives the new loops from it
(:func:`updated_analysis`) instead of searching again; a complete result of thousands of loops is
handed over in arrays (:func:`prepared`), so that such updates are whole-array operations. A newer
request cancels the run in progress
(``find_loops`` polls a ``cancelled`` callback), and a result whose revision is no longer the
document's is dropped, so the panel never shows loops of a diagram that no longer exists. Edits
that cannot change the loops (moving, renaming, bending, loop labels) only re-tag the last result
with the new revision: on a diagram with 100,000 loops a drag must not restart a ten-second search.
``stop()`` cancels and joins the thread; the window calls it on close so Qt never destroys a
running thread.
"""

from __future__ import annotations

import atexit
import dataclasses
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from cld_editor.analysis.graph import Signature, loop_signature
from cld_editor.analysis.incremental import indexed, prepared, updated_analysis
from cld_editor.analysis.loops import Budget, LoopAnalysis, find_loops
from cld_editor.core import events as ev
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram

DEBOUNCE_MS = 250
#: How long a thread running Python may keep the interpreter while another waits for it
#: (Python's default is 5 ms). The window's thread takes and gives back the interpreter at
#: every call into Qt and back; with a worker searching in CPython it waited up to the whole
#: interval each time: opening a World3-sized model before the compiled search was loaded,
#: the window froze for 4.5 s and showed its first loops after 5.3 s; at 0.5 ms, after 0.7 s.
GUI_SWITCH_SECONDS = 0.0005


def keep_the_window_responsive() -> None:
    """Let the window's thread have the interpreter back quickly while workers run Python
    (see GUI_SWITCH_SECONDS); never lengthens an interval set shorter already."""
    if sys.getswitchinterval() > GUI_SWITCH_SECONDS:
        sys.setswitchinterval(GUI_SWITCH_SECONDS)


#: Worker threads not yet joined, with the function that cancels their current job and the
#: worker living on them (kept referenced here so Python never deletes it while it runs).
_LIVE_THREADS: dict[QThread, tuple[Callable[[], None], QObject]] = {}


def _join(thread: QThread) -> None:
    entry = _LIVE_THREADS.pop(thread, None)
    if entry is not None:
        entry[0]()
    thread.quit()
    thread.wait()


def stop_all_threads() -> None:
    """Cancel and join every analysis thread still running (at exit, whatever happened)."""
    for thread in list(_LIVE_THREADS):
        _join(thread)


atexit.register(stop_all_threads)


@dataclass
class AnalysisJob:
    """One requested analysis: a diagram snapshot, the revision it describes, a cancel flag."""

    number: int
    revision: int
    diagram: Diagram
    budget: Budget
    signature: Signature
    cancel_event: threading.Event = field(default_factory=threading.Event)
    #: The last complete result and the diagram it describes, to derive this one from.
    previous: tuple[Diagram, LoopAnalysis] | None = None

    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


class _Worker(QObject):
    """Lives on the worker thread; runs one job per ``run`` call (queued from the GUI thread)."""

    started = Signal(int)  # job number
    progressed = Signal(int, int)  # job number, loops found so far
    finished = Signal(int, object)  # job number, LoopAnalysis
    partial = Signal(int, object)  # job number, the shortest loops while the rest is searched

    @Slot(object)
    def run(self, job: AnalysisJob) -> None:
        # Requests pile up while a long run goes on; skip those already overtaken.
        if job.cancelled():
            return
        self.started.emit(job.number)
        analysis = None
        if job.previous is not None:
            cap = job.budget.loops_cap()
            try:
                analysis = updated_analysis(
                    job.previous[1], job.previous[0], job.diagram, max_loops=cap
                )
            except Exception:  # a shortcut only: whatever goes wrong there, a search answers
                logging.getLogger(__name__).exception("incremental loop analysis failed")
                analysis = None
            if analysis is not None and len(analysis.loops) > cap:
                analysis = None  # past the loop limit: a search keeps the shortest
        if analysis is None:
            analysis = find_loops(
                job.diagram,
                job.budget,
                progress=lambda n: self.progressed.emit(job.number, n),
                cancelled=job.cancelled,
                early=lambda shortest: self.partial.emit(job.number, shortest),
            )
        analysis = prepared(analysis)
        self.finished.emit(job.number, analysis)
        try:
            indexed(analysis)  # for the next edit, while the user makes it
        except Exception:  # an aid only: without it the next edit reads the whole table
            logging.getLogger(__name__).exception("indexing the loops by link failed")


class AnalysisRunner(QObject):
    """Keeps a LoopAnalysis of a Document up to date, off the GUI thread.

    Signals: ``analysis_ready(LoopAnalysis)`` with a result for the current revision;
    ``running_changed(bool)`` when a run starts or ends; ``progressed(int)`` loops found so far.
    """

    analysis_ready = Signal(object)
    running_changed = Signal(bool)
    progressed = Signal(int)
    _run_requested = Signal(object)

    def __init__(
        self,
        document: Document,
        budget: Budget | None = None,
        debounce_ms: int = DEBOUNCE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.budget = budget or Budget()
        self.analysis: LoopAnalysis | None = None
        self.analysis_revision: int | None = None
        self._analysis_signature: Signature | None = None
        self._analysis_diagram: Diagram | None = None
        self._debounce_s = debounce_ms / 1000
        self._last_change = -1e9
        self._unpublished: tuple[Signature, LoopAnalysis] | None = None
        self._unpublished_diagram: Diagram | None = None
        self._job: AnalysisJob | None = None
        self._jobs_started = 0
        self._running_job: int | None = None
        #: The last hand-out of shortest loops and the last count found, with their job's number:
        #: what a Stop shows at once.
        self._partial: tuple[int, LoopAnalysis] | None = None
        self._found: tuple[int, int] | None = None
        self._stopped = False
        #: Counts results dropped because the document moved on (tests read it).
        self.stale_results = 0

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.run_now)

        # No Qt parent: Qt aborts the program when a running QThread is destroyed, which a
        # parent window being deleted without close() would do. The registry below keeps the
        # thread alive until stop() or program exit joins it.
        keep_the_window_responsive()
        self._thread = QThread()
        self._thread.setObjectName("cld-editor loop analysis")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._run_requested.connect(self._worker.run)
        self._worker.started.connect(self._on_worker_started)
        self._worker.progressed.connect(self._on_worker_progressed)
        self._worker.finished.connect(self._on_worker_finished)
        self._worker.partial.connect(self._on_worker_partial)
        self._thread.start()
        _LIVE_THREADS[self._thread] = (self._cancel_job, self._worker)
        document.subscribe(self._on_document_event)
        # However the program ends, never let Qt destroy a running thread.
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    # -- public --------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running_job is not None

    @property
    def pending(self) -> bool:
        """True while a result for the current revision is still to come."""
        return self.analysis_revision != self.document.revision

    def schedule(self) -> None:
        """Run at once after a quiet spell, else after the debounce delay (an edit arriving
        meanwhile restarts it)."""
        if self._stopped:
            return
        now = time.monotonic()
        quiet = now - self._last_change >= self._debounce_s and not self._timer.isActive()
        self._last_change = now
        # At once, but after the event that called this has reached every listener.
        self._timer.start(0 if quiet else round(self._debounce_s * 1000))

    def run_now(self, force: bool = False) -> None:
        """Bring the analysis up to the current revision: re-tag the last result when the loops
        cannot have changed, otherwise start a run (cancelling any older one)."""
        if self._stopped:
            return
        self._timer.stop()
        revision = self.document.revision
        diagram = self.document.diagram
        signature = loop_signature(diagram)
        if not force:
            if self._job is not None and self._job.signature == signature:
                self._job.revision = revision  # the run in progress describes this revision too
                return
            if self._job is None and self._analysis_signature == signature:
                self.analysis_revision = revision
                return
            if self._job is None and self._unpublished and self._unpublished[0] == signature:
                self._publish(self._unpublished[1], revision, signature, self._unpublished_diagram)
                return
        self._cancel_job()
        self._jobs_started += 1
        job = AnalysisJob(self._jobs_started, revision, diagram, self.budget, signature)
        analysis, before = self.analysis, self._analysis_diagram
        if (
            analysis is not None
            and before is not None
            and analysis.complete
            and not self.budget.max_length
        ):
            job.previous = (before, analysis)
        self._job = job
        self._run_requested.emit(job)

    def cancel(self) -> None:
        """Stop the run in progress (the user asked), answered at once on this thread: the
        result says so ("analysis stopped") and keeps the shortest loops already shown (every
        loop of the lengths listed in full), saying how many the search had found. The worker
        is told to stop too and ends within a chunk of the search (or once a load of the
        compiled search that holds the interpreter is done); what it then returns is dropped."""
        self._timer.stop()
        job = self._job
        if job is None:
            return
        job.cancel_event.set()
        # Not started yet, the worker skips it and never answers; started, its answer comes
        # when it next looks at the flag. Either way the stop is answered here, instead of the
        # results from before the edit staying up meanwhile.
        self._job = None
        if self._running_job == job.number:
            self._running_job = None
            self.running_changed.emit(False)
        if job.revision == self.document.revision:
            self._publish(self._stop_result(job), job.revision, job.signature, job.diagram)

    def _stop_result(self, job: AnalysisJob) -> LoopAnalysis:
        """What a stop of ``job`` leaves: its last hand-out of shortest loops, or none, with how
        many loops it had found."""
        shown = (
            self._partial if self._partial is not None and self._partial[0] == job.number else None
        )
        found = self._found[1] if self._found is not None and self._found[0] == job.number else 0
        if shown is not None:
            stopped = dataclasses.replace(shown[1], stopped_by="cancelled")
        else:
            stopped = find_loops(job.diagram, job.budget, cancelled=lambda: True)
        return dataclasses.replace(stopped, found=max(found, len(stopped.loops)))

    def stop(self) -> None:
        """Cancel everything and join the worker thread (safe to call twice)."""
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        self._cancel_job()
        self.document.unsubscribe(self._on_document_event)
        _join(self._thread)

    # -- internals -----------------------------------------------------------------------
    def _cancel_job(self) -> None:
        if self._job is not None:
            self._job.cancel_event.set()
            self._job = None

    def _on_document_event(self, event: ev.Event) -> None:
        self.schedule()

    @Slot(int)
    def _on_worker_started(self, number: int) -> None:
        if self._job is not None and number == self._job.number:
            self._running_job = number
            self.running_changed.emit(True)

    @Slot(int, int)
    def _on_worker_progressed(self, number: int, found: int) -> None:
        if self._job is not None and number == self._job.number:
            self._found = (number, found)
            self.progressed.emit(found)

    @Slot(int, object)
    def _on_worker_partial(self, number: int, analysis: LoopAnalysis) -> None:
        """The shortest loops of a run that goes on: shown at once, but the run stays pending
        (``analysis`` and ``analysis_revision`` keep describing the last finished run)."""
        job = self._job
        if job is not None and number == job.number and job.revision == self.document.revision:
            self._partial = (number, analysis)
            self.analysis_ready.emit(analysis)

    @Slot(int, object)
    def _on_worker_finished(self, number: int, analysis: LoopAnalysis) -> None:
        if self._running_job == number:
            self._running_job = None
            self.running_changed.emit(False)
        job = self._job
        if self._stopped or job is None or number != job.number:
            self.stale_results += 1  # overtaken by a newer run
            return
        self._job = None
        # ``job.revision`` is re-tagged on the GUI thread only, so reading it here is safe.
        if job.revision != self.document.revision:
            # Edited since: not for showing, but the next run_now reuses it if the edit left the
            # loops alone (a drag during a long run must not restart it).
            self.stale_results += 1
            self._unpublished = (job.signature, analysis)
            self._unpublished_diagram = job.diagram
            if not self._timer.isActive():
                self.run_now()
            return
        self._publish(analysis, job.revision, job.signature, job.diagram)

    def _publish(
        self,
        analysis: LoopAnalysis,
        revision: int,
        signature: Signature,
        diagram: Diagram | None = None,
    ) -> None:
        self._unpublished = None
        self._analysis_diagram = diagram
        self.analysis = analysis
        self.analysis_revision = revision
        self._analysis_signature = signature
        self.analysis_ready.emit(analysis)
