"""Worker threads that report to the GUI thread without touching a Qt object.

A plain Python thread that emits a signal of a GUI-thread QObject races with that object's
deletion: when the window goes (closed, or deleted by its owner) while the thread emits, Qt is
reading the sender's connections as its destructor tears them down, and the program may crash
later, in the event loop, far from either. :class:`Mailbox` avoids the race altogether. Its
:meth:`~Mailbox.start` runs a function on a daemon thread and hands it a ``post`` function that
only appends to a deque (thread-safe in CPython); a QTimer owned by the mailbox, on the GUI
thread, delivers what was posted to the mailbox's callback, and stops once every thread it
started has ended and nothing is left to deliver. When the mailbox is deleted its timer goes with
it, and a thread still running posts into a deque nobody reads: harmless. The price is up to one
poll interval (15 ms) of latency, nothing for autosave, the census or the independent set.
"""

from __future__ import annotations

import collections
import threading
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

POLL_MS = 15

#: What a worker calls to send a message (any positional arguments) to the GUI thread.
Post = Callable[..., None]


class Mailbox(QObject):
    """Runs workers on daemon threads; delivers their messages to ``deliver`` on the GUI
    thread, in the order they were posted."""

    def __init__(self, deliver: Callable[..., None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        # A bound method is held weakly: its object usually owns this mailbox, and a reference
        # cycle through two QObjects is one the garbage collector may tear down mid-signal.
        try:
            self._deliver: Callable[[], Callable[..., None] | None] = weakref.WeakMethod(
                deliver  # type: ignore[arg-type]
            )
        except TypeError:  # a function, or a built-in's method: held as it is
            self._deliver = lambda: deliver
        self._messages: collections.deque[tuple[Any, ...]] = collections.deque()
        self._threads: list[threading.Thread] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.deliver_now)

    def start(self, work: Callable[[Post], None], name: str) -> threading.Thread:
        """Run ``work(post)`` on a new daemon thread (call from the GUI thread)."""
        thread = threading.Thread(target=work, args=(self._post,), name=name, daemon=True)
        self._threads.append(thread)
        thread.start()
        if not self._timer.isActive():
            self._timer.start()
        return thread

    @property
    def busy(self) -> bool:
        """True while a thread it started runs or a message waits for delivery."""
        return bool(self._messages) or any(t.is_alive() for t in self._threads)

    def deliver_now(self) -> None:
        """Deliver every message posted so far (the timer calls this; tests may too)."""
        # Read the threads' state before draining: a thread that ended has posted its last.
        self._threads = [t for t in self._threads if t.is_alive()]
        while self._messages:
            message = self._messages.popleft()
            deliver = self._deliver()
            if deliver is not None:
                deliver(*message)
        if not self._threads and not self._messages:
            self._timer.stop()

    def _post(self, *message: Any) -> None:
        self._messages.append(message)
