"""A word-wrapped label that is always tall enough for every line of its text at its width.

A plain QLabel with word wrap tells its layout a minimum height of a few words' fold, and the
layout learns of a longer text only on its next pass: a note that grew from one line to three
stood one line high until then, and for good when its panel stood at its smallest (the Loops
panel's "Independent set" note on a big diagram read "... 1,177 are longer than" and nothing
more). :class:`WrappedLabel` gives as its minimum size hint the height its text needs at its
width, tells its layout again when its text, width or font changes, and has its parent laid out
at once when its text changes, so it takes the room it needs straight away and gives it back
when its text gets short again. (Not ``setMinimumHeight``: QLabel folds its minimum size into
its height-for-width, which would then never shrink.)
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class WrappedLabel(QLabel):
    """A QLabel with word wrap whose minimum height is that of its text at its width."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._needed = -1  # the height last told to the layout

    def needed_height(self) -> int:
        """The height the text needs at the current width (once a layout or a resize gave it
        one: the width of a label never laid out is a default, and its text folded into that
        would ask its window for room it does not need)."""
        if not self.testAttribute(Qt.WidgetAttribute.WA_Resized):
            return super().minimumSizeHint().height()
        return max(self.heightForWidth(self.width()), 0)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        self._needed = self.needed_height()
        return QSize(hint.width(), self._needed)

    def setText(self, text: str) -> None:
        super().setText(text)  # asks the layout again (updateGeometry)
        # Lay the parent out now, not on its next pass: until then the label would lie under
        # the widget below it or stand clipped, and a picture taken meanwhile would show it.
        parent = self.parentWidget()
        layout = parent.layout() if parent is not None else None
        if layout is not None and self.isVisible():
            layout.activate()

    def _refit(self) -> None:
        if self.needed_height() != self._needed:
            self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._refit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()
