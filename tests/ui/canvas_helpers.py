"""Shared helpers for the canvas tests: a scene+view on a Document, and real mouse/key input."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent, QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.canvas.scene import DiagramScene
from cld_editor.ui.canvas.view import DiagramView

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


@dataclass
class Canvas:
    doc: Document
    stack: QUndoStack
    scene: DiagramScene
    view: DiagramView

    def at(self, x: float, y: float) -> QPoint:
        """Viewport point of a scene point."""
        return self.view.mapFromScene(QPointF(x, y))

    @property
    def port(self):
        return self.view.viewport()

    def click(self, x: float, y: float, modifiers=NONE) -> None:
        QTest.mouseClick(self.port, LEFT, modifiers, self.at(x, y))

    def double_click(self, x: float, y: float) -> None:
        # A real double-click is press, release, double-click, release.
        QTest.mouseClick(self.port, LEFT, NONE, self.at(x, y))
        QTest.mouseDClick(self.port, LEFT, NONE, self.at(x, y))

    def drag(
        self, start: tuple[float, float], end: tuple[float, float], modifiers=NONE, steps: int = 6
    ) -> None:
        (x0, y0), (x1, y1) = start, end
        QTest.mousePress(self.port, LEFT, modifiers, self.at(x0, y0))
        for i in range(1, steps + 1):
            t = i / steps
            QTest.mouseMove(self.port, self.at(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
        QTest.mouseRelease(self.port, LEFT, modifiers, self.at(x1, y1))

    def key(self, key, modifiers=NONE, text: str | None = None) -> None:
        QTest.keyClick(self.view, key, modifiers)

    def type(self, text: str) -> None:
        QTest.keyClicks(self.view, text)


def make_canvas(qtbot, diagram: Diagram | None = None) -> Canvas:
    doc = Document(diagram)
    stack = QUndoStack()
    scene = DiagramScene(doc, stack)
    view = DiagramView(scene)

    def release(_view: DiagramView) -> None:
        # Delete the commands while everything is alive: a QUndoStack that Python's cyclic GC
        # frees after Qt deleted some of its Python commands (redo branch cut, merge) crashes
        # in ~QUndoStack under PySide6 6.11. The editor's stack has a QObject parent instead.
        scene.detach()
        stack.clear()

    qtbot.addWidget(view, before_close_func=release)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    view.actual_size()
    view.centerOn(0, 0)
    view.setFocus()
    return Canvas(doc, stack, scene, view)


def two_variables(curvature: float = 0.2, link: bool = False) -> Diagram:
    variables = [
        Variable(id="a", label="Alpha", x=-150, y=0),
        Variable(id="b", label="Beta", x=150, y=0),
    ]
    links = [Link(id="l1", source="a", target="b", curvature=curvature)] if link else []
    return Diagram(variables=variables, links=links)


def entry_text(action: QAction) -> str:
    """A menu entry as read: without its shortcut and its & mnemonic."""
    return action.text().split("\t")[0].replace("&", "")


def context_menu_entries(widget: QWidget, pos: QPoint, choose: str | None = None) -> list[str]:
    """Open ``widget``'s context menu at ``pos`` as a right-click does; the entries it shows,
    as read, triggering the one reading ``choose`` (after the menu closed) when given."""
    seen: list[str] = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, pick)
            return
        actions = [a for a in menu.actions() if a.text()]
        seen.extend(entry_text(a) for a in actions)
        menu.close()
        for action in actions:
            if choose is not None and entry_text(action) == choose:
                action.trigger()

    QTimer.singleShot(20, pick)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)
    return seen
