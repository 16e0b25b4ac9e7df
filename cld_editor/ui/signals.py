"""Quit cleanly on SIGINT, SIGTERM and SIGHUP, keeping a recovery copy of unsaved work.

Ctrl+C in the terminal, logging out of the desktop and a system shutdown reach the editor as
signals. Python runs its signal handlers only between bytecodes, and while Qt's event loop
waits in C++ no bytecode runs, so the handlers alone would wait for the next mouse move. The
C-level handler therefore also writes the signal number to a socket (``signal.set_wakeup_fd``)
that a :class:`QSocketNotifier` watches: the event loop wakes up at once and
:class:`QuitOnSignal` calls back on the GUI thread, where the windows can be touched. The
callback (see ``cld_editor.ui.app``) writes the recovery copies and leaves the event loop,
including any modal dialog's. A second signal while quitting ends the process at once, as
the signal would have without this module.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

log = logging.getLogger(__name__)

#: The signals that mean "stop now, please": Ctrl+C, kill/shutdown, the terminal or session gone.
QUIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class QuitOnSignal(QObject):
    """While installed, each of ``signals`` calls ``on_signal(signum)`` on the GUI thread."""

    def __init__(
        self,
        on_signal: Callable[[int], None],
        signals: tuple[int, ...] = QUIT_SIGNALS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._signals = signals
        self._received: int | None = None
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {sig: signal.signal(sig, self._python_handler) for sig in signals}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_wakeup)
        self._installed = True

    def _python_handler(self, signum: int, frame: object) -> None:
        # Runs at the next bytecode, which the notifier below makes happen at once. The work is
        # done in _on_wakeup, outside the handler (a handler may interrupt any Python code).
        if self._received is not None:
            # Asked twice: stop waiting for a clean exit, as the signal would have done.
            self.uninstall()
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        self._received = signum

    def _on_wakeup(self, *args: object) -> None:
        with contextlib.suppress(OSError):
            while self._reader.recv(256):
                pass
        signum = self._received
        if signum is None or not self._installed:
            return
        log.warning("received %s: keeping recovery copies and quitting", _name(signum))
        self._on_signal(signum)

    def uninstall(self) -> None:
        """Give the signals back their previous handlers (at exit; safe to call twice)."""
        if not self._installed:
            return
        self._installed = False
        self._notifier.setEnabled(False)
        for sig, previous in self._previous.items():
            with contextlib.suppress(ValueError, TypeError, OSError):
                signal.signal(sig, previous if previous is not None else signal.SIG_DFL)
        with contextlib.suppress(ValueError):
            signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


def _name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"
