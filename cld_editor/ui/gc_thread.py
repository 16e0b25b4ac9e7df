"""Python's cyclic garbage collector runs on the GUI thread only.

The collector runs whenever enough objects were allocated, on whichever thread allocated them:
a worker (the loop analysis, autosave, the census, a background layout) can find itself
collecting cyclic garbage that holds Qt objects of the GUI thread, a closed dialog or the
wrappers of a deleted window, and destroying them there crashes Qt (a shuffled test run
segfaulted this way, in a worker appending to a list). :class:`MainThreadCollector` turns the
automatic collector off and does its work from a GUI-thread timer instead, generation by
generation with Python's own thresholds, so what it collects is what the automatic collector
would have, a moment later and on the right thread. Workers that allocate a great deal meanwhile
only delay a collection; memory is not leaked, since every cycle is still found.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from cld_editor.core.memory import collect_due

#: How often the GUI thread looks whether a collection is due.
INTERVAL_MS = 250


class MainThreadCollector(QObject):
    """While installed, the cyclic collector runs from this timer on the GUI thread only."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.collections = 0
        self._was_enabled = False
        self._installed = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)

    def install(self) -> MainThreadCollector:
        if not self._installed:
            self._installed = True
            self._was_enabled = gc.isenabled()
            gc.disable()
            self._timer.start()
        return self

    def uninstall(self) -> None:
        if self._installed:
            self._installed = False
            self._timer.stop()
            if self._was_enabled:
                gc.enable()

    def collect_due(self) -> int:
        """Collect what is due (:func:`cld_editor.core.memory.collect_due`)."""
        found = collect_due(self.thresholds)
        self.collections += 1
        return found


def collect_on_gui_thread(parent: QObject | None = None) -> MainThreadCollector:
    """Install a :class:`MainThreadCollector` (on the GUI thread, with a QApplication)."""
    return MainThreadCollector(parent).install()
