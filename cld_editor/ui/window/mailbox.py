"""Worker threads that report to the GUI thread without touching a Qt object.

A plain Python thread that emits a signal of a GUI-thread QObject races with that object's
deletion: when the window goes (closed, or deleted by its owner) while the thread emits, Qt is
reading the sender's connections as its destructor tears them down, and the program may crash
later, in the event loop, far from either. :class:`Mailbox` avoids the race altogether. Its
:meth:`~Mailbox.start` runs a function on a daemon thread and hands it a ``post`` function that
only appends to a deque (thread-safe in CPython); a QTimer owned by the mailbox, on the GUI
thread, delivers what was posted to the mailbox's callback, and stops once every thread it
started has ended and nothing is left to deliver. When the mailbox's parent is deleted its
timers go with it, and a thread still running posts into a deque nobody reads: harmless,
because ``post`` holds the deque alone, never the mailbox. The price is up to one
poll interval (15 ms) of latency, nothing for autosave, the census or the independent set.
"""

from __future__ import annotations

import collections
import threading
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer

POLL_MS = 15

#: What a worker calls to send a message (any positional arguments) to the GUI thread.
Post = Callable[..., None]


class Mailbox:
    """Runs workers on daemon threads; delivers their messages to ``deliver`` on the GUI
    thread, in the order they were posted, while ``parent`` (a QObject) exists.

    A plain Python object, not a QObject: it polls with single-shot timers whose context is a
    QObject child of ``parent``, so no signal is connected to one of its methods and nothing of
    it outlives the parent on Qt's side (a connection to a bound method of a QObject whose C++
    side its parent deleted could crash PySide when the Python side went later)."""

    def __init__(self, deliver: Callable[..., None], parent: QObject | None = None) -> None:
        # A bound method is held weakly: its object usually owns this mailbox.
        try:
            self._deliver: Callable[[], Callable[..., None] | None] = weakref.WeakMethod(
                deliver  # type: ignore[arg-type]
            )
        except TypeError:  # a function, or a built-in's method: held as it is
            self._deliver = lambda: deliver
        self._messages: collections.deque[tuple[Any, ...]] = collections.deque()
        self._threads: list[threading.Thread] = []
        #: The timers' context: deleted with ``parent``, which drops a pending poll.
        self._context = QObject(parent)
        self._polling = False

    def start(self, work: Callable[[Post], None], name: str) -> threading.Thread:
        """Run ``work(post)`` on a new daemon thread (call from the GUI thread)."""
        thread = threading.Thread(
            target=work, args=(_poster(self._messages),), name=name, daemon=True
        )
        self._threads.append(thread)
        thread.start()
        self._poll_later()
        return thread

    @property
    def busy(self) -> bool:
        """True while a thread it started runs or a message waits for delivery."""
        return bool(self._messages) or any(t.is_alive() for t in self._threads)

    @property
    def polling(self) -> bool:
        """True while a poll is scheduled."""
        return self._polling

    @property
    def alive(self) -> bool:
        """False once its parent (and so its timers' context) was deleted."""
        return shiboken6.isValid(self._context)

    def deliver_now(self) -> None:
        """Deliver every message posted so far (the timer calls this; tests may too)."""
        # Read the threads' state before draining: a thread that ended has posted its last.
        self._threads = [t for t in self._threads if t.is_alive()]
        while self._messages:
            message = self._messages.popleft()
            deliver = self._deliver()
            if deliver is not None:
                deliver(*message)
        if self._threads or self._messages:
            self._poll_later()

    def _poll_later(self) -> None:
        if self._polling or not self.alive:
            return
        self._polling = True
        me = weakref.ref(self)

        def poll() -> None:
            box = me()
            if box is not None:
                box._polling = False
                box.deliver_now()

        QTimer.singleShot(POLL_MS, self._context, poll)


def _poster(messages: collections.deque[tuple[Any, ...]]) -> Post:
    """The ``post`` a worker gets: it appends to the deque and knows nothing of the mailbox.
    Even reading a plain attribute of a QObject's Python wrapper goes through PySide, which
    may look at the C++ object: deleted meanwhile on the GUI thread, that crashes."""

    def post(*message: Any) -> None:
        messages.append(message)

    return post
