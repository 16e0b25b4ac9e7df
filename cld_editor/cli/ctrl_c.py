"""Ctrl+C for ``cld-editor analyze``'s listing: it stops the command promptly in every phase.

While the handler is installed, Ctrl+C only sets a flag, which the loop search polls (about
every 10 ms) and the writers read between blocks of lines, so a stop ends cleanly: the search
keeps what it found in full, the output ends on a whole line with a note. Code that polls
nothing (the search's own sorting and counting after its last poll, say) would let the flag sit
unread for seconds: a watchdog thread sees that nobody has polled within ``GRACE_SECONDS`` of
the press and interrupts the main thread with a KeyboardInterrupt, which the command catches.
A second Ctrl+C raises KeyboardInterrupt at once. Only on the main thread, where Python
delivers signals, and not where Ctrl+C was ignored when the command started (``nohup``).
"""

from __future__ import annotations

import _thread
import signal
import threading
from types import FrameType, TracebackType

#: After a Ctrl+C, seconds to wait for the flag to be read before interrupting the main
#: thread. The search and the writers read it every 10-50 ms; the longest pause between two
#: polls of the search otherwise measured (loading the compiled kernel) is about 0.3 s, and an
#: interrupt there only drops what a cancel would have dropped too.
GRACE_SECONDS = 0.25


class CtrlC:
    """A context manager: ``stop()`` says whether Ctrl+C was pressed (and counts as a poll);
    ``found(n)`` records a count of loops found so far (a progress callback)."""

    def __init__(self, grace: float = GRACE_SECONDS) -> None:
        self.grace = grace
        self.pressed = threading.Event()
        self.loops_found = 0
        #: Set by the command once it writes its output (for what a stop message says).
        self.writing = False
        self._polls = 0
        self._closed = threading.Event()
        self._escalate = False
        self._previous: object = None
        self._installed = False

    def stop(self) -> bool:
        self._polls += 1
        return self.pressed.is_set()

    def found(self, count: int) -> None:
        self.loops_found = max(self.loops_found, count)

    def acknowledge(self) -> None:
        """The press was acted on (a search stopped by it): only a new one stops what follows."""
        self._polls += 1
        self.pressed.clear()

    def __enter__(self) -> CtrlC:
        if threading.current_thread() is not threading.main_thread():
            return self
        previous = signal.getsignal(signal.SIGINT)
        if previous is signal.SIG_IGN:  # started with Ctrl+C ignored: keep it so
            return self
        self._previous = previous
        signal.signal(signal.SIGINT, self._handle)
        self._installed = True
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._closed.set()
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]
            self._installed = False

    def _handle(self, _signum: int, _frame: FrameType | None) -> None:
        if self._escalate or self.pressed.is_set():
            self._escalate = False
            raise KeyboardInterrupt
        self.pressed.set()
        polls = self._polls
        threading.Thread(
            target=self._watch, args=(polls,), name="cld-editor ctrl-c", daemon=True
        ).start()

    def _watch(self, polls: int) -> None:
        """Interrupt the main thread when nobody has read the flag since the press."""
        if self._closed.wait(self.grace) or self._polls != polls or not self.pressed.is_set():
            return
        self._escalate = True
        main = threading.main_thread().ident
        if hasattr(signal, "pthread_kill") and main is not None:
            # A real signal: it also wakes a main thread asleep or blocked in a system call.
            signal.pthread_kill(main, signal.SIGINT)
        else:
            _thread.interrupt_main(signal.SIGINT)
