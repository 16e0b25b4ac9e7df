"""Arrange off the GUI thread: a layout is computed on a worker thread while the window stays
usable, with its progress in the status bar and a way to cancel it.

The layouts are pure functions of a snapshot (:func:`cld_editor.layout.plan` on an immutable
``Diagram`` and the box sizes measured on the GUI thread), so the worker needs nothing from Qt:
it runs on a plain Python thread and only writes its :class:`ArrangeJob` (the step it is on, the
layout or the error, then ``done``). The :class:`ArrangeRunner` on the GUI thread looks at the
job every POLL_MS, shows the step, and hands the finished job over in ``finished``. Cancel
sets the job's flag: the runner forgets the job at once (nothing of it is ever applied), and the
worker stops at the layout's next check, within a few hundredths of a second of work (the
``progress`` callback, which the long loops inside each step call too, raises :class:`Cancelled`); a
layout started meanwhile waits for that, so two layouts never share the processor.
The threads are daemons and touch no Qt object, so closing the window or quitting never waits
for a layout to end.

:class:`ArrangeProgress` is the status bar's part: what is being arranged and the step, a busy
bar, and a Cancel button (Esc cancels too while a layout runs).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStatusBar

from cld_editor.core.model import Diagram
from cld_editor.layout import STYLE_NAMES, Layout, plan
from cld_editor.ui.window.status_progress import StatusProgress

#: How often the GUI thread looks at a running job (ms).
POLL_MS = 50

Planner = Callable[..., Layout]


class Cancelled(Exception):
    """Raised inside the worker by the progress callback of a cancelled job."""


@dataclass
class ArrangeJob:
    """One layout computed in the background: its input (a snapshot and the document revision
    it describes), the step the worker is on, and what came out."""

    number: int
    style: str
    diagram: Diagram
    sizes: Mapping[str, tuple[float, float]]
    only: set[str] | None
    revision: int
    #: Variables being arranged (for the status bar).
    count: int
    started: float = field(default_factory=time.monotonic)
    step: str = "starting"
    layout: Layout | None = None
    error: str | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def describe(self) -> str:
        what = f"{self.count:,} selected variables" if self.only else f"{self.count:,} variables"
        return f"Arranging {what} as {STYLE_NAMES[self.style]}"


def run_job(job: ArrangeJob, planner: Planner, after: threading.Thread | None = None) -> None:
    """Compute ``job`` (on the worker thread): its layout, or its error, or nothing when it is
    cancelled; ``done`` is set in every case. ``after``: a cancelled job's thread to let end
    first (it stops at its layout's next check), so that layouts never run side by side."""

    def progress(step: str) -> None:
        if job.cancelled:
            raise Cancelled
        job.step = step

    try:
        if after is not None:
            after.join()
        progress("starting")
        job.layout = planner(
            job.diagram, job.style, only=job.only, sizes=job.sizes, progress=progress
        )
    except Cancelled:
        pass
    except Exception as exc:  # a bug in a layout must not pass silently nor kill the window
        job.error = f"{type(exc).__name__}: {exc}"
    finally:
        job.done.set()


class ArrangeRunner(QObject):
    """Runs at most one layout job at a time on a worker thread (a new one cancels the old).

    Signals: ``progressed(job)`` while it runs (its ``step`` changed), ``finished(job)`` when it
    is done and was not cancelled (its ``layout`` or ``error`` is set).
    """

    progressed = Signal(object)
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: The layout function; tests put a slow or blocking one here.
        self.planner: Planner = plan
        self.job: ArrangeJob | None = None
        self.thread: threading.Thread | None = None
        self._jobs = 0
        self._shown_step = ""
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(
        self,
        style: str,
        diagram: Diagram,
        sizes: Mapping[str, tuple[float, float]],
        only: set[str] | None,
        revision: int,
        count: int,
    ) -> ArrangeJob:
        """Start computing a layout of ``diagram`` (cancelling the one running, if any)."""
        self.cancel()
        self._jobs += 1
        job = ArrangeJob(self._jobs, style, diagram, sizes, only, revision, count)
        self.job = job
        self._shown_step = ""
        previous = self.thread if self.thread is not None and self.thread.is_alive() else None
        self.thread = threading.Thread(
            target=run_job,
            args=(job, self.planner, previous),
            name=f"cld-editor arrange {job.number}",
            daemon=True,
        )
        self.thread.start()
        self._timer.start()
        return job

    def cancel(self) -> ArrangeJob | None:
        """Cancel the running job (its result will never be applied); the job, or None."""
        job = self.job
        if job is None:
            return None
        job.cancel_event.set()
        self.job = None
        self._timer.stop()
        return job

    def forget(self, job: ArrangeJob) -> None:
        """Take ``job`` (done) off the runner's hands: it will not be reported in ``finished``."""
        if self.job is job:
            self.job = None
            self._timer.stop()

    def _poll(self) -> None:
        job = self.job
        if job is None:
            self._timer.stop()
            return
        if job.done.is_set():
            self.job = None
            self._timer.stop()
            self.finished.emit(job)
        elif job.step != self._shown_step:
            self._shown_step = job.step
            self.progressed.emit(job)


class ArrangeProgress(StatusProgress):
    """The status bar's part for a background Arrange: the step, a busy bar and Cancel. The
    ``cancel`` action (Arrange > Cancel Arrange, Esc) is enabled only while a layout runs, so
    that the rest of the time Esc is the canvas's own."""

    def __init__(self, bar: QStatusBar, cancel: QAction) -> None:
        super().__init__(
            bar, cancel, "arrange", "Stop arranging and leave the diagram as it is (Esc)"
        )

    def show_job(self, job: ArrangeJob) -> None:
        self.show_text(f"{job.describe()}: {job.step}…")
