"""Ctrl+C for ``cld-editor analyze``'s listing: it stops the command promptly in every phase.

While the handler is installed, Ctrl+C only records the press, which the loop search polls
(about every 10 ms) and the writers read between blocks of lines, so a stop ends cleanly: the
search keeps what it found in full, the output ends on a whole line with a note. Code that
polls nothing (the search's own sorting and counting after its last poll, say) would let the
press sit unread for seconds: a watchdog thread sees that nobody has polled within
``GRACE_SECONDS`` of the press and interrupts the main thread, whose handler then raises a
KeyboardInterrupt, which the command catches, but only if the command is still running and
still has not polled (the check is made again on the main thread, so an interrupt sent just as
the command polled or ended does nothing). A second Ctrl+C raises KeyboardInterrupt at once.
The handler takes no lock (it runs between any two bytecodes of the main thread, which may hold
one). Only on the main thread, where Python delivers signals, and not where Ctrl+C was ignored
when the command started (``nohup``).
"""

from __future__ import annotations

import _thread
import signal
import threading
import time
from types import FrameType, TracebackType

#: After a Ctrl+C, seconds to wait for the press to be read before interrupting the main
#: thread. The search and the writers read it every 10-50 ms; the longest pause between two
#: polls of the search otherwise measured (loading the compiled kernel) is about 0.3 s, and an
#: interrupt there only drops what a cancel would have dropped too.
GRACE_SECONDS = 0.25
#: How often the watchdog looks at an unread press.
WATCH_SECONDS = 0.02


class CtrlC:
    """A context manager: ``stop()`` says whether Ctrl+C was pressed (and counts as a poll);
    ``found(n)`` records a count of loops found so far (a progress callback)."""

    def __init__(self, grace: float = GRACE_SECONDS) -> None:
        self.grace = grace
        self.loops_found = 0
        #: Set by the command once it writes its output (for what a stop message says).
        self.writing = False
        self._polls = 0
        #: When the unread press came (None: none), and the poll count then.
        self._pressed_at: float | None = None
        self._press_polls = 0
        #: The poll count at which the watchdog interrupted (None: it has not).
        self._escalated: int | None = None
        self._closing = False
        self._closed = threading.Event()  # only ever waited on or set off the handler
        self._watcher: threading.Thread | None = None
        self._previous: object = None
        self._installed = False

    @property
    def pressed(self) -> bool:
        return self._pressed_at is not None

    def stop(self) -> bool:
        self._polls += 1
        return self._pressed_at is not None

    def found(self, count: int) -> None:
        self.loops_found = max(self.loops_found, count)

    def acknowledge(self) -> None:
        """The press was acted on (a search stopped by it): only a new one stops what follows."""
        self._polls += 1
        self._pressed_at = None

    def __enter__(self) -> CtrlC:
        if threading.current_thread() is not threading.main_thread():
            return self
        previous = signal.getsignal(signal.SIGINT)
        if previous is signal.SIG_IGN:  # started with Ctrl+C ignored: keep it so
            return self
        self._previous = previous
        signal.signal(signal.SIGINT, self._handle)
        self._installed = True
        self._watcher = threading.Thread(target=self._watch, name="cld-editor ctrl-c", daemon=True)
        self._watcher.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._closing = True
        self._closed.set()
        if self._watcher is not None:
            self._watcher.join()  # no interrupt is sent after this
            self._watcher = None
        if self._installed:
            # (An interrupt still pending is handled first, by _handle, which now ignores it.)
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]
            self._installed = False

    def _handle(self, _signum: int, _frame: FrameType | None) -> None:
        escalated, self._escalated = self._escalated, None
        if escalated is not None:  # the watchdog's: still unread, and the command still on?
            if not self._closing and self._pressed_at is not None and self._polls == escalated:
                raise KeyboardInterrupt
            return
        if self._pressed_at is not None:  # a second Ctrl+C: at once
            raise KeyboardInterrupt
        self._press_polls = self._polls
        self._pressed_at = time.monotonic()

    def _watch(self) -> None:
        """Interrupt the main thread when nobody has read a press within the grace time."""
        while not self._closed.wait(WATCH_SECONDS):
            pressed_at, polls = self._pressed_at, self._press_polls
            if pressed_at is None or self._escalated is not None or self._polls != polls:
                continue
            if time.monotonic() - pressed_at < self.grace:
                continue
            self._escalated = polls
            main = threading.main_thread().ident
            if hasattr(signal, "pthread_kill") and main is not None:
                # A real signal: it also wakes a main thread asleep or blocked in a system call.
                signal.pthread_kill(main, signal.SIGINT)
            else:
                _thread.interrupt_main(signal.SIGINT)
