"""News in the status bar that a passing status tip does not erase.

Qt shows the status tip of the toolbar button or menu entry under the mouse with
``QStatusBar.showMessage`` and, when the mouse leaves it, "shows" an empty tip, which clears
whatever the bar said: click Arrange on the toolbar, move the mouse off the button, and
"Arranged the diagram (Loops)" is gone at once. :class:`StatusNews` shows a message for its
time and, until that time is up, puts it back when a status tip ends; a tip still shows over
it while the mouse is on a button. Another message replacing it (a newer piece of news, a
``clearMessage``) ends it for good.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QStatusTipEvent
from PySide6.QtWidgets import QMainWindow


class StatusNews(QObject):
    """Messages of ``window``'s status bar kept through the status tips shown over them."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._news: str | None = None
        self._until = 0.0  # time.monotonic() when the news is over
        self._tip = ""  # the status tip showing over the news
        window.statusBar().messageChanged.connect(self._changed)
        window.installEventFilter(self)

    def show(self, text: str, timeout_ms: int) -> None:
        """Show ``text`` for ``timeout_ms``, kept through the status tips meanwhile."""
        self._news, self._tip = None, ""
        self.window.statusBar().showMessage(text, timeout_ms)
        self._news, self._until = text, time.monotonic() + timeout_ms / 1000

    @property
    def news(self) -> str | None:
        """The news being kept (shown, or under a status tip), if any."""
        if self._news is not None and time.monotonic() >= self._until:
            self._news = None
        return self._news

    def _changed(self, text: str) -> None:
        news = self._news
        if news is None or text == news or (self._tip and text == self._tip):
            return
        self._news = None  # replaced or cleared by something else: over

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.window or event.type() != QEvent.Type.StatusTip:
            return False
        assert isinstance(event, QStatusTipEvent)
        tip = event.tip()
        if tip:
            if self.news is not None:
                self._tip = tip
            return False  # the main window shows the tip
        # A tip ended: the news comes back (or stays) instead of an empty bar.
        self._tip = ""
        news = self.news
        if news is None:
            return False
        bar = self.window.statusBar()
        if bar.currentMessage() != news:
            bar.showMessage(news, max(int((self._until - time.monotonic()) * 1000), 1))
        return True
