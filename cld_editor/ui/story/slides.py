"""A story's steps as 16:9 slides, painted onto any QPainter (presentation, PDF, SVG, PNG, the
HTML player's pictures).

The whole diagram is laid out once (:class:`DiagramLayout`, as an export does), so nothing
moves between steps: a slide fits the bounds of the whole diagram into the space above the
caption and paints only what is visible at its step (a link needs both its ends, a loop label
an unbroken loop), with what the step highlights drawn strongly (what earlier steps showed
fainter) and, in the presentation, fading in (``fade``). The caption sits below, the title
above, "3 / 7" in the corner. A step's what-if pulse is shown in a still picture by the badge
of the first change each visible variable receives, and in motion by the presentation; a
pulse whose variable is gone plays nothing. Slides are 1600 x 900 units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QPainter, QTransform

from cld_editor.analysis.loops import LoopAnalysis, find_loops
from cld_editor.analysis.whatif import Direction, default_steps, propagate
from cld_editor.analysis.whatif_caption import caption as whatif_caption
from cld_editor.core.model import Diagram
from cld_editor.core.story import Story, StoryPulse, highlighted_at, visible_at
from cld_editor.ui.drawing import render, render_links, render_overlays
from cld_editor.ui.drawing.picture import ensure_app
from cld_editor.ui.drawing.render_diagram import DEFAULT_MARGIN, DiagramLayout
from cld_editor.ui.story import whatif_paint

SLIDE_SIZE = QSizeF(1600.0, 900.0)
MARGIN = 40.0
TITLE_HEIGHT = 44.0
CAPTION_HEIGHT = 150.0
CAPTION_PIXEL_SIZE = 28
MUTED = QColor("#6b7480")
#: What earlier steps showed is drawn this faint while a step brings something new.
OLD_OPACITY = 0.5


@dataclass(frozen=True)
class SlideState:
    """What one step shows: the visible ids, those drawn as new, and the caption."""

    visible: frozenset[str]
    new: frozenset[str]
    caption: str
    pulse: StoryPulse | None


class StorySlides:
    """The slides of ``story`` on ``diagram`` (``analysis`` names the loop labels)."""

    def __init__(
        self, diagram: Diagram, story: Story, analysis: LoopAnalysis | None = None
    ) -> None:
        ensure_app()
        self.diagram = diagram
        self.story = story
        if analysis is None and (diagram.loop_labels or any(s.whatif for s in story.steps)):
            analysis = find_loops(diagram)
        self.analysis = analysis
        self.layout = DiagramLayout.of(diagram, analysis)
        self.source = self.layout.bounds(diagram, DEFAULT_MARGIN)
        # The waterline's captions go where they hide no variable, label or link, as in an
        # export of the whole diagram (every step keeps them in the same place).
        self.caption_x = self.source.left() + DEFAULT_MARGIN
        if diagram.waterline is not None:
            self.caption_x = render_overlays.waterline_caption_x(
                diagram.waterline,
                self.source.left(),
                self.source.right(),
                self.layout.obstacles,
                [render_overlays.link_polyline(p.geometry) for p in self.layout.links.values()],
            )
        # A loop label whose loop an edit broke (drawn as a dashed "?" in the editor, to be
        # mended or deleted) names nothing the room can see: slides leave it out.
        self._ids = {r.id for t in (diagram.variables, diagram.links) for r in t} | {
            b.id for b in diagram.loop_labels if not self.layout.looks[b.id].stale
        }
        self._ends = {link.id: (link.source, link.target) for link in diagram.links}
        self._badges: dict[int, dict[str, Direction]] = {}
        self._badge_places = whatif_paint.BadgePlaces(
            self.layout,
            {v.id: self.layout.shapes[v.id].rect.translated(v.x, v.y) for v in diagram.variables},
            [link.id for link in diagram.links if link.delay],
        )

    def __len__(self) -> int:
        return len(self.story.steps)

    def state(self, index: int) -> SlideState:
        step = self.story.steps[index]
        visible = visible_at(self.story, index, self._ids)
        visible = {
            i
            for i in visible
            if i not in self._ends or (self._ends[i][0] in visible and self._ends[i][1] in visible)
        }
        new = highlighted_at(self.story, index, visible)
        caption = step.caption.strip()
        if step.whatif is not None and not caption:
            caption = self._pulse_caption(step.whatif)
        return SlideState(frozenset(visible), frozenset(new), caption, step.whatif)

    def _pulse_caption(self, pulse: StoryPulse) -> str:
        if pulse.variable not in {v.id for v in self.diagram.variables}:
            return ""
        run = propagate(self.diagram, pulse.variable, pulse.direction, 0)
        return whatif_caption(run, 0, self.diagram)

    def pulse_badges(self, index: int) -> dict[str, Direction]:
        """The first change each variable receives in the step's what-if pulse (the start
        included), for a still picture; empty without a pulse."""
        if index in self._badges:
            return self._badges[index]
        pulse = self.story.steps[index].whatif
        badges: dict[str, Direction] = {}
        if pulse is not None and pulse.variable in {v.id for v in self.diagram.variables}:
            loops = self.analysis.loops if self.analysis else None
            steps = pulse.steps or default_steps(
                self.diagram, pulse.variable, pulse.direction, loops
            )
            run = propagate(self.diagram, pulse.variable, pulse.direction, steps)
            for t in range(run.count + 1):
                for variable, change in run.changes_at(t).items():
                    badges.setdefault(variable, change)
        self._badges[index] = badges
        return badges

    # -- geometry ------------------------------------------------------------------------
    def diagram_area(self, caption: bool = True, size: QSizeF = SLIDE_SIZE) -> QRectF:
        bottom = size.height() - (CAPTION_HEIGHT if caption else MARGIN)
        return QRectF(
            MARGIN, TITLE_HEIGHT + 10, size.width() - 2 * MARGIN, bottom - TITLE_HEIGHT - 10
        )

    def scene_transform(self, caption: bool = True, size: QSizeF = SLIDE_SIZE) -> QTransform:
        """Maps diagram (scene) units onto the slide: the whole diagram fitted and centred."""
        area = self.diagram_area(caption, size)
        fit = min(area.width() / self.source.width(), area.height() / self.source.height())
        fit = min(fit, 2.5)  # a tiny diagram is not blown up to poster size
        dx = area.left() + (area.width() - self.source.width() * fit) / 2 - self.source.left() * fit
        dy = area.top() + (area.height() - self.source.height() * fit) / 2 - self.source.top() * fit
        return QTransform(fit, 0, 0, fit, dx, dy)

    # -- painting ------------------------------------------------------------------------
    def paint(
        self,
        painter: QPainter,
        index: int,
        *,
        caption: bool = True,
        fade: float = 1.0,
        badges: dict[str, Direction] | None = None,
        pulses: Sequence[tuple[str, float, Direction]] = (),
        size: QSizeF = SLIDE_SIZE,
    ) -> None:
        """Paint step ``index`` in the rectangle (0, 0, size). ``fade`` (0..1) is how far the
        new parts have faded in; ``badges`` default to the still picture of the step's pulse;
        ``pulses`` are (link id, progress 0..1, direction) of changes on their way."""
        state = self.state(index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), render.BACKGROUND)
        self._paint_frame(painter, index, state, caption, size)
        painter.save()
        painter.setTransform(self.scene_transform(caption, size), combine=True)
        self.paint_scene(painter, state, fade)
        shown = self.pulse_badges(index) if badges is None else badges
        for link_id, progress, direction in pulses:
            if link_id in state.visible:
                at = whatif_paint.pulse_point(self.layout.links[link_id].line, progress)
                whatif_paint.paint_pulse(painter, at, direction)
        self.paint_badges(painter, {v: d for v, d in shown.items() if v in state.visible})
        painter.restore()
        painter.restore()

    def paint_scene(self, painter: QPainter, state: SlideState, fade: float = 1.0) -> None:
        """The visible part of the diagram in scene units, new parts strong and faded in."""
        d = self.diagram
        if d.waterline is not None:
            left, right = self.source.left(), self.source.right()
            signs = [
                paths.geometry.sign_pos
                for link_id, paths in self.layout.links.items()
                if link_id in state.visible
            ]
            render_overlays.paint_waterline(
                painter, d.waterline, left, right, self.source.bottom(), self.caption_x, signs
            )
        base = painter.opacity()
        old = OLD_OPACITY if state.new else 1.0
        for link in d.links:
            if link.id in state.visible:
                new = link.id in state.new
                painter.setOpacity(base * (fade if new else old))
                render_links.paint_link(
                    painter,
                    self.layout.links[link.id],
                    link.polarity,
                    link.delay,
                    highlighted=new,
                    static_text=False,
                )
        for v in d.variables:
            if v.id in state.visible:
                new = v.id in state.new
                painter.setOpacity(base * (fade if new else old))
                painter.save()
                painter.translate(QPointF(v.x, v.y))
                render.paint_variable(
                    painter, self.layout.shapes[v.id], v.domain, highlighted=new, static_text=False
                )
                painter.restore()
        for label in d.loop_labels:
            if label.id in state.visible:
                painter.setOpacity(base * (fade if label.id in state.new else old))
                painter.save()
                painter.translate(QPointF(label.x, label.y))
                render_overlays.paint_loop_label(painter, self.layout.looks[label.id])
                painter.restore()
        painter.setOpacity(base)

    def paint_badges(self, painter: QPainter, badges: dict[str, Direction]) -> None:
        for v in self.diagram.variables:
            centre = self._badge_places.centre(v.id) if v.id in badges else None
            if centre is not None:
                whatif_paint.paint_badge(painter, centre, badges[v.id])

    def _paint_frame(
        self, painter: QPainter, index: int, state: SlideState, caption: bool, size: QSizeF
    ) -> None:
        width, height = size.width(), size.height()
        painter.setPen(MUTED)
        painter.setFont(render.font(18, bold=True))
        title = " ".join(self.diagram.title.split())
        left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(QRectF(MARGIN, 10, width - 2 * MARGIN - 120, TITLE_HEIGHT), left, title)
        painter.setFont(render.font(16))
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        counter = f"{index + 1} / {len(self)}"
        painter.drawText(QRectF(width - MARGIN - 120, 10, 120, TITLE_HEIGHT), right, counter)
        if caption and state.caption:
            box = QRectF(
                MARGIN * 2, height - CAPTION_HEIGHT + 10, width - 4 * MARGIN, CAPTION_HEIGHT - 30
            )
            painter.setPen(render.INK)
            painter.setFont(render.font(CAPTION_PIXEL_SIZE))
            flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
            painter.drawText(box, flags | int(Qt.TextFlag.TextWordWrap), state.caption)
