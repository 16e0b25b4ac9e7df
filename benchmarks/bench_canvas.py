"""Canvas benchmark: open+show, full repaint and a drag step for a 1,000-variable / 3,000-link
diagram, beside a plain QGraphicsScene of bare rect and line items measured in the same run.

Run: ``python -m benchmarks.bench_canvas [--variables N] [--links M] [--repeat R]``. The plain
scene is the floor (Qt's own C++ items, no text, no arcs): the ratios say what the editor's
items cost on top of Qt. Open and repaint figures are the best of several runs, drag steps the
median of a 30-step drag. Targets (issue 3): open and show under 2 s; repaint and drag steps
under 33 ms (30 frames a second) on the 2-core test machines.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsLineItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
)

from cld_editor.core.document import Document
from cld_editor.core.model import Diagram
from cld_editor.ui.canvas.projection import CATCH_UP_SLICE
from cld_editor.ui.canvas.scene import DiagramScene
from cld_editor.ui.canvas.view import DiagramView

try:
    from benchmarks.diagrams import random_diagram
except ImportError:  # run as a script from inside benchmarks/
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from benchmarks.diagrams import random_diagram

VIEW_SIZE = (1280, 800)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def best_time(action: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs: other processes on a shared machine only ever add time."""
    return min(timed(action) for _ in range(repeat))


class PlainCanvas:
    """The baseline: a QGraphicsScene with one rect per variable and one line per link."""

    def __init__(self, diagram: Diagram) -> None:
        self.scene = QGraphicsScene()
        self.rects: dict[str, QGraphicsRectItem] = {}
        self.lines: dict[str, tuple[QGraphicsLineItem, str, str]] = {}
        pen = QPen(Qt.GlobalColor.darkGray, 1.5)
        for v in diagram.variables:
            rect = QGraphicsRectItem(QRectF(-45, -15, 90, 30))
            rect.setPos(v.x, v.y)
            self.scene.addItem(rect)
            self.rects[v.id] = rect
        for link in diagram.links:
            line = QGraphicsLineItem(self._line(link.source, link.target))
            line.setPen(pen)
            self.scene.addItem(line)
            self.lines[link.id] = (line, link.source, link.target)
        self.view = QGraphicsView(self.scene)
        self.view.setRenderHints(QPainter.RenderHint.Antialiasing)

    def _line(self, source: str, target: str) -> QLineF:
        return QLineF(self.rects[source].pos(), self.rects[target].pos())

    def move(self, variable_id: str, to: QPointF) -> None:
        self.rects[variable_id].setPos(to)
        for line, source, target in self.lines.values():
            if variable_id in (source, target):
                line.setLine(self._line(source, target))


def show(view: QGraphicsView, app: QApplication, fit: QRectF) -> None:
    view.resize(*VIEW_SIZE)
    view.show()
    view.fitInView(fit, Qt.AspectRatioMode.KeepAspectRatio)
    app.processEvents()
    view.viewport().repaint()


def busiest_variable(diagram: Diagram, wanted: int = 6) -> str:
    """A variable with ``wanted`` links (or the closest count), as in the issue's drag step."""
    count: dict[str, int] = {v.id: 0 for v in diagram.variables}
    for link in diagram.links:
        count[link.source] += 1
        count[link.target] += 1 if link.target != link.source else 0
    return min(count, key=lambda i: (abs(count[i] - wanted), i))


def drag_steps(move: Callable[[QPointF], None], start: QPointF, app: QApplication, steps: int):
    """Time each step of a drag: move the variable (links follow) and let the view repaint."""
    times = []
    for i in range(1, steps + 1):
        to = start + QPointF(3.0 * i, 2.0 * i)
        times.append(timed(lambda to=to: (move(to), app.processEvents())))
    # The median step: a drag is a sequence, its typical frame is what the user feels.
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variables", type=int, default=1000)
    parser.add_argument("--links", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    diagram = random_diagram(args.variables, args.links / args.variables, seed=1)
    moving = busiest_variable(diagram)
    degree = sum(moving in (link.source, link.target) for link in diagram.links)

    # -- open and show ---------------------------------------------------------------------
    holder: dict[str, object] = {}

    kept: list[object] = []  # earlier runs stay alive (and hidden): no GC during timings

    def open_editor() -> None:
        if "view" in holder:
            holder["view"].hide()  # type: ignore[attr-defined]
        doc = Document(diagram)
        stack = QUndoStack()
        scene = DiagramScene(doc, stack)
        view = DiagramView(scene)
        show(view, app, scene.items_bounding_rect())
        holder.update(doc=doc, scene=scene, view=view)
        kept.extend((stack, scene, view))

    def open_plain() -> None:
        if "plain" in holder:
            holder["plain"].view.hide()  # type: ignore[attr-defined]
        plain = PlainCanvas(diagram)
        show(plain.view, app, plain.scene.itemsBoundingRect())
        holder.update(plain=plain)
        kept.append(plain)

    t_open_plain = best_time(open_plain, 3)
    t_open = best_time(open_editor, 3)
    view: DiagramView = holder["view"]  # type: ignore[assignment]
    scene: DiagramScene = holder["scene"]  # type: ignore[assignment]
    plain: PlainCanvas = holder["plain"]  # type: ignore[assignment]

    rows: list[tuple[str, float, float]] = [("open + show", t_open, t_open_plain)]
    # After the first paint, signs clear of the links passing by arrive in 30 ms slices; let
    # them finish (as they have a second or two after an open) before timing what follows.
    started = time.perf_counter()
    scene.settle_signs()
    signs_after_open = time.perf_counter() - started
    for other in kept:  # the earlier opens too, or their slices would run in the timings
        if isinstance(other, DiagramScene):
            other.settle_signs()

    # -- full repaint, whole diagram and at 100 % around the moving variable -----------------
    for label, setup in (
        ("repaint, whole diagram", lambda v: None),
        (
            "repaint, 100 %",
            lambda v: (v.resetTransform(), v.centerOn(scene.variable_scene_pos(moving))),
        ),
    ):
        setup(view)
        setup(plain.view)
        app.processEvents()
        ours = best_time(view.viewport().repaint, args.repeat)
        theirs = best_time(plain.view.viewport().repaint, args.repeat)
        rows.append((label, ours, theirs))

    # -- drag step at 100 %: one variable with its links, then the repaint ------------------
    item = scene.item_for(moving)
    start = item.pos()

    def drag_to(point: QPointF) -> None:
        """What a mouse drag does each step (the Select tool's mouse move)."""
        with scene.moves_batched(live=True):
            item.setPos(point)

    ours = drag_steps(drag_to, start, app, 30)
    scene.settle_signs()  # what the drag left to catch up, done before the plain scene's turn
    theirs = drag_steps(lambda p: plain.move(moving, p), plain.rects[moving].pos(), app, 30)
    rows.append((f"drag step ({degree} links), 100 %", ours, theirs))
    view.fitInView(scene.items_bounding_rect(), Qt.AspectRatioMode.KeepAspectRatio)
    plain.view.fitInView(plain.scene.itemsBoundingRect(), Qt.AspectRatioMode.KeepAspectRatio)
    app.processEvents()
    ours = drag_steps(drag_to, start, app, 15)
    scene.settle_signs()
    theirs = drag_steps(lambda p: plain.move(moving, p), plain.rects[moving].pos(), app, 15)
    rows.append((f"drag step ({degree} links), whole diagram", ours, theirs))

    print(
        f"{args.variables} variables, {len(diagram.links)} links, view {VIEW_SIZE[0]}x"
        f"{VIEW_SIZE[1]}, platform {app.platformName()}, {os.cpu_count()} CPUs"
    )
    print(f"{'':38} {'editor':>10} {'plain Qt':>10} {'ratio':>7}")
    for label, ours, theirs in rows:
        ratio = ours / theirs if theirs > 0 else float("inf")
        print(f"{label:38} {ours * 1000:8.1f}ms {theirs * 1000:8.1f}ms {ratio:6.1f}x")
    print(
        f"signs clear of passing links after the open, in slices of "
        f"{CATCH_UP_SLICE * 1000:.0f} ms (the window stays responsive): "
        f"{signs_after_open * 1000:.0f} ms of work in all"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
