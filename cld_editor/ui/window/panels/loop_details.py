"""How one loop is spelt out in words, and the bounded box under the Loops table that shows it.

:func:`loop_facts` is the short description both the Loops panel and the Properties panel (for a
selected loop label) give: type, length, domains as ``analyze`` says them, delay.
:class:`LoopDetails` shows the selected loop's name, facts and member chain under the table: it
grows with its text up to :data:`MAX_LINES` lines and scrolls beyond, so a 40-link loop does not
squeeze the table it describes.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QTextBlock, QTextDocument
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

from cld_editor.analysis.loops import Loop
from cld_editor.core.text import plural
from cld_editor.ui.window.panels.loops_model import TYPE_NAMES, domains_text

#: The details box grows with its text up to this many lines, then scrolls.
MAX_LINES = 4


def loop_facts(loop: Loop) -> str:
    """'reinforcing, 5 links, CX + EX, delayed': what kind of loop this is, in words."""
    facts = [TYPE_NAMES[loop.polarity].lower(), plural(loop.length, "link")]
    domains = domains_text(loop.domains)
    if domains:
        facts.append(domains)
    if loop.delayed:
        facts.append("delayed")
    return ", ".join(facts)


class LoopDetails(QTextBrowser):
    """The selected loop in words: as tall as its text, at most MAX_LINES lines (then it
    scrolls), hidden when no loop is selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loop_details")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setOpenLinks(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        # Margins outside the viewport, not in the document: the viewport clips the text, so
        # no half line shows in a margin when the text scrolls.
        self.document().setDocumentMargin(0)
        self.setViewportMargins(4, 3, 4, 3)
        self.hide()

    def show_loop(self, loop: Loop | None, name: str = "", members: str = "") -> None:
        """Describe ``loop`` as ``name`` with its ``members`` chain (None: hide)."""
        self.setVisible(loop is not None)
        if loop is None:
            self.clear()
            return
        self.setHtml(f"<b>{escape(name)}</b> ({escape(loop_facts(loop))}): {escape(members)}")
        self._fit()

    def max_height(self) -> int:
        """The height of MAX_LINES lines of the text as laid out (whole lines, so the last
        one shown is never cut), with the margins."""
        document = self.document()
        lines = sum(block.layout().lineCount() for block in _blocks(document))
        per_line = document.size().height() / lines if lines else 0.0
        per_line = max(per_line, float(self.fontMetrics().lineSpacing()))
        return round(MAX_LINES * per_line) + self._margins()

    def _margins(self) -> int:
        outer, inner = self.contentsMargins(), self.viewportMargins()
        return outer.top() + outer.bottom() + inner.top() + inner.bottom()

    def text(self) -> str:
        return self.toPlainText()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def _fit(self) -> None:
        document = self.document()
        document.setTextWidth(self.viewport().width())
        wanted = int(document.size().height()) + self._margins()
        self.setFixedHeight(max(self.fontMetrics().lineSpacing(), min(wanted, self.max_height())))


def _blocks(document: QTextDocument) -> list[QTextBlock]:
    blocks, block = [], document.begin()
    while block.isValid():
        blocks.append(block)
        block = block.next()
    return blocks
