"""Draw a whole Diagram onto any QPainter (PNG, SVG, PDF, clipboard), without a scene.

It computes the same geometry as the canvas (one :class:`link_layout.LinkLayout` on the same label
layouts) and calls the same paint functions as the canvas items, in the canvas's stacking order
(waterline, links, variables, loop labels), so an export looks exactly like the editor minus the
selection, the handles and the dot grid. Text is drawn with ``drawText`` by default (not
QStaticText), so SVG and PDF keep real, searchable text. Coordinates are diagram (scene) units: the
caller maps :func:`diagram_bounds` onto its device, e.g. with ``painter.setWindow`` or a transform.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter

from cld_editor.analysis.loops import Loop, LoopAnalysis
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.drawing import render, render_links, render_overlays
from cld_editor.ui.drawing.geometry import Box, LinkGeometry
from cld_editor.ui.drawing.link_layout import link_geometries

#: Space kept around the content by default (scene units).
DEFAULT_MARGIN = 24.0


def link_boxes(diagram: Diagram) -> dict[str, Box]:
    """Every variable's box as the links see it (measured with Qt's fonts: GUI thread)."""
    return {v.id: render.variable_shape(v.label).box(v.x, v.y) for v in diagram.variables}


def _layout(diagram: Diagram, geometries: Mapping[str, LinkGeometry] | None = None):
    variables = {v.id: v for v in diagram.variables}
    shapes = {v.id: render.variable_shape(v.label) for v in diagram.variables}
    if geometries is None:
        geometries = link_geometries(
            link_boxes(diagram),
            [(link.id, link.source, link.target, link.curvature) for link in diagram.links],
        )
    links = {link.id: render_links.link_paths(geometries[link.id]) for link in diagram.links}
    return variables, shapes, links


def _looks(diagram: Diagram, variables: dict[str, Variable], analysis: LoopAnalysis | None):
    pairs: dict[tuple[str, str], Link] = {
        (link.source, link.target): link for link in diagram.links
    }
    return {
        label.id: render_overlays.loop_label_look(
            label, variables, lambda s, t: pairs.get((s, t)), analysis
        )
        for label in diagram.loop_labels
    }


@dataclass(frozen=True)
class DiagramLayout:
    """Everything drawing a diagram needs before it paints, computed once: an export picture is
    painted several times (one image per loop, the clipboard's bitmap and SVG), and on a large
    diagram the link geometry costs about an eighth of the drawing. ``content`` is what the
    records cover, ``obstacles`` what a caption (the waterline's) must not hide."""

    variables: dict[str, Variable]
    shapes: dict[str, render.VariableShape]
    links: dict[str, render_links.LinkPaths]
    looks: dict[str, render_overlays.LoopLabelLook]
    content: QRectF
    obstacles: tuple[QRectF, ...]

    @classmethod
    def of(
        cls,
        diagram: Diagram,
        analysis: LoopAnalysis | None,
        geometries: Mapping[str, LinkGeometry] | None = None,
    ) -> DiagramLayout:
        """``geometries``: the links' geometries when already known (:func:`link_geometries`
        of :func:`link_boxes`, plain floats, which a worker thread may compute)."""
        variables, shapes, links = _layout(diagram, geometries)
        looks = _looks(diagram, variables, analysis)
        obstacles = [
            render.variable_paint_rect(shapes[v.id]).translated(v.x, v.y) for v in diagram.variables
        ]
        obstacles += [
            render_overlays.loop_label_rect(looks[b.id]).translated(b.x, b.y)
            for b in diagram.loop_labels
        ]
        content = QRectF()
        for rect in obstacles:
            content = content.united(rect)
        for link in diagram.links:
            paths = links[link.id]
            content = content.united(paths.bounds)
            (sx, sy), (mx, my) = paths.geometry.sign_pos, paths.geometry.mid
            obstacles.append(QRectF(sx - 9, sy - 10, 18, 20))
            if link.delay:
                obstacles.append(QRectF(mx - 9, my - 9, 18, 18))
        return cls(variables, shapes, links, looks, content, tuple(obstacles))

    def bounds(self, diagram: Diagram, margin: float) -> QRectF:
        """The area the content covers plus ``margin``, in whole units (the waterline's own y
        is included, so an empty half of the iceberg is still shown)."""
        rect = QRectF(self.content)
        if diagram.waterline is not None and not rect.isNull():
            rect = rect.united(QRectF(rect.left(), diagram.waterline - 26, rect.width(), 52))
        if rect.isNull():
            return QRectF(-100, -100, 200, 200)
        rect = rect.adjusted(-margin, -margin, margin, margin)
        left, top = math.floor(rect.left()), math.floor(rect.top())
        return QRectF(left, top, math.ceil(rect.right()) - left, math.ceil(rect.bottom()) - top)


def diagram_bounds(
    diagram: Diagram, analysis: LoopAnalysis | None = None, margin: float = DEFAULT_MARGIN
) -> QRectF:
    """The area the diagram's content covers, plus ``margin`` (the waterline band is cropped to
    it; the waterline's own y is included so an empty half is still shown)."""
    return DiagramLayout.of(diagram, analysis).bounds(diagram, margin)


def render_diagram(
    painter: QPainter,
    diagram: Diagram,
    *,
    analysis: LoopAnalysis | None = None,
    highlighted_loop: Loop | None = None,
    area: QRectF | None = None,
    static_text: bool = False,
) -> None:
    """Paint ``diagram`` in scene units. ``area`` (default: :func:`diagram_bounds`) is what the
    waterline band spans; ``highlighted_loop`` draws that loop strongly and dims the rest."""
    layout = DiagramLayout.of(diagram, analysis)
    if area is None:
        area = layout.bounds(diagram, DEFAULT_MARGIN)
    band = (area.left(), area.right(), area.bottom(), area.left() + DEFAULT_MARGIN)
    paint_layout(painter, diagram, layout, highlighted_loop, band, static_text)


#: Where the waterline band goes: (left, right, bottom of the band, x of its captions).
Band = tuple[float, float, float, float]


def paint_layout(
    painter: QPainter,
    diagram: Diagram,
    layout: DiagramLayout,
    highlighted_loop: Loop | None = None,
    band: Band | None = None,
    static_text: bool = False,
) -> None:
    """Paint a laid-out diagram in the canvas's stacking order: waterline (across ``band``),
    links, variables, loop labels; ``highlighted_loop`` strong, the rest dimmed."""
    strong_vars = set(highlighted_loop.variables) if highlighted_loop else set()
    strong_links = set(highlighted_loop.links) if highlighted_loop else set()
    on = highlighted_loop is not None
    if diagram.waterline is not None and band is not None:
        left, right, bottom, caption_x = band
        signs = [paths.geometry.sign_pos for paths in layout.links.values()]
        render_overlays.paint_waterline(
            painter, diagram.waterline, left, right, bottom, caption_x, signs
        )
    for link in diagram.links:
        strong = link.id in strong_links
        render_links.paint_link(
            painter,
            layout.links[link.id],
            link.polarity,
            link.delay,
            dimmed=on and not strong,
            highlighted=strong,
            static_text=static_text,
        )
    for v in diagram.variables:
        strong = v.id in strong_vars
        painter.save()
        painter.translate(QPointF(v.x, v.y))
        render.paint_variable(
            painter,
            layout.shapes[v.id],
            v.domain,
            dimmed=on and not strong,
            highlighted=strong,
            static_text=static_text,
        )
        painter.restore()
    key = highlighted_loop.key if highlighted_loop else None
    for label in diagram.loop_labels:
        painter.save()
        painter.translate(QPointF(label.x, label.y))
        render_overlays.paint_loop_label(
            painter, layout.looks[label.id], dimmed=on and label.loop_key != key
        )
        painter.restore()
