"""Counting every loop of a diagram for the Loops panel ("Count all loops"): :class:`LoopCounter`
runs the census on a worker thread (it polls its stop flag every few milliseconds, so Stop ends
it at once) and delivers it, complete or partial, on the GUI thread; a count overtaken by a new
analysis is dropped instead. :func:`census_text` is the line the panel shows for it.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from cld_editor.analysis.budget import DEFAULT_CENSUS_TIME_LIMIT
from cld_editor.analysis.census import Census, count_loops
from cld_editor.core.model import Diagram
from cld_editor.ui.window.mailbox import Mailbox, Post


class LoopCounter(QObject):
    """Counts every loop of a diagram on a worker thread ("Count all loops").

    Signals (GUI thread): ``counted(Census)`` when a count ends, finished or stopped (its
    partial counts then); ``progressed(int)`` the loops so far; ``running_changed(bool)``.
    """

    counted = Signal(object)
    progressed = Signal(int)
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._token = 0  # the count whose results are wanted
        self._running = False
        # From the worker thread: ("progress", token, loops so far), ("done", token, census)
        # or ("failed", token, None).
        self._mail = Mailbox(self._on_message, self)

    @property
    def running(self) -> bool:
        return self._running

    def start(self, diagram: Diagram, time_limit: float = DEFAULT_CENSUS_TIME_LIMIT) -> None:
        self.discard()
        self._token += 1
        token, stop = self._token, threading.Event()
        self._stop = stop

        def work(post: Post) -> None:
            try:
                census = count_loops(
                    diagram, time_limit, lambda n: post("progress", token, n), stop.is_set
                )
            except BaseException:
                post("failed", token, None)  # the count ends; the crash guard shows why
                raise
            post("done", token, census)

        self._set_running(True)
        self._thread = self._mail.start(work, "cld-editor census")

    def stop(self) -> None:
        """End the count in progress: the census polls this flag between chunks of a few
        milliseconds, and ``counted`` then delivers its partial counts."""
        self._stop.set()

    def discard(self) -> None:
        """Stop the count in progress and drop its result (the diagram changed)."""
        self._token += 1
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
            self._thread = None
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.running_changed.emit(running)

    def _on_message(self, kind: str, token: int, value: object) -> None:
        if token != self._token:
            return
        if kind in ("done", "failed"):
            self._thread = None
            self._set_running(False)
            if kind == "done":
                self.counted.emit(value)
        elif self._running:
            self.progressed.emit(value)


def census_text(census: Census, labels: dict[str, str] | None = None) -> str:
    """The panel's census line: "All loops counted: 1,234,567 loops: ...", and for a stopped
    count that its counts are lower bounds, which loops they are, and that their split is not
    representative (the CLI's :meth:`Census.partial_note` says the same at more length)."""
    if census.complete:
        return f"All loops counted: {census.summary_text()}"
    head = (
        "Count stopped" if census.stopped_by == "cancelled" else "Count stopped at its time limit"
    )
    kinds = census.kinds_text()
    done, n = census.variables_searched, census.variables
    name = (labels or {}).get(census.stopped_at or "", census.stopped_at)
    variables = f"{n:,} variable{'s' if n != 1 else ''}"
    if done:
        first = "the first" if done == 1 else f"the first {done:,}"
        met = f"every loop through {first} of {variables} and some through {name!r}"
    else:
        met = f"only loops through the first of {variables}, {name!r}"
    loops = f"{census.total:,} loop{'s' if census.total != 1 else ''}"
    return (
        f"{head}: at least {loops} ({kinds or 'none yet'}). These are {met}: "
        "lower bounds, and not representative of the diagram by length or type."
    )
