"""The waterline after an arrangement: when a diagram shows its iceberg waterline, an Arrange moves
the variables and the line must follow, to the gap between the boxes as laid out that best
separates the CX variables (above) from the EX ones (below), the same choice as when the line is
first shown (:func:`cld_editor.core.waterline.default_waterline`). The Loops, Layered and
Organic styles do not place variables by domain, but with the line shown a whole layout is
turned over where that parts CX from EX better (:func:`turned_for_waterline`: upside down, or
for Loops and Organic half a turn, which keeps their circles running clockwise). When the two
still cannot be kept apart, the line sits at the gap with the fewest on the wrong side, and the
status bar says so (:func:`.notes.waterline_notes`). Within its gap the line keeps clear of the
loop labels as drawn (circle and caption, :func:`loop_labels.label_extent`), and the labels
placed after it keep clear of the line (:func:`loop_labels.loop_label_spots`). A diagram with no
CX or EX variable has nothing for the line to part: it stays where it was (or moves just enough
to pass through no box).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..core.document import Document
from ..core.model import Diagram
from ..core.waterline import WATERLINE_CLEARANCE, default_waterline
from .boxes import Point, Size, bounds, rects
from .loop_labels import label_extent


def waterline_after(
    diagram: Diagram,
    positions: Mapping[str, Point],
    sizes: Mapping[str, Size],
    labels: Mapping[str, Point] | None = None,
) -> float | None:
    """Where the waterline goes with the variables at ``positions`` (those missing stay) and
    the loop labels at ``labels`` (None: all of them where they are; an Arrange passes only
    those it does not place afresh, whose old spots say nothing about the new drawing); None
    when the diagram shows no waterline, and the line as it is when no variable is CX or EX."""
    if diagram.waterline is None:
        return None
    variables = [
        v.model_copy(update={"x": positions[v.id][0], "y": positions[v.id][1]})
        if v.id in positions
        else v
        for v in diagram.variables
    ]
    spans = {v.id: (v.y - sizes[v.id][1] / 2, v.y + sizes[v.id][1] / 2) for v in variables}
    if not has_domains(diagram):  # nothing to part: the line stays where the user left it
        return _nearest_clear(diagram.waterline, spans.values())
    doc = Document(diagram.model_copy(update={"variables": variables}))
    spots = {b.id: (b.x, b.y) for b in diagram.loop_labels} if labels is None else labels
    names = {b.id: b.name for b in diagram.loop_labels}
    # Each label as drawn: its circle and, when named, the caption under it.
    marks = []
    for label_id, (_, y) in spots.items():
        _, top, _, bottom = label_extent(names.get(label_id))
        marks.append((y + top, y + bottom))
    return default_waterline(doc, spans, marks)


def _nearest_clear(y: float, spans: Iterable[tuple[float, float]]) -> float:
    """``y``, or the nearest y to it that passes through no box (``spans``: top, bottom)."""
    grown = [(top - WATERLINE_CLEARANCE, bottom + WATERLINE_CLEARANCE) for top, bottom in spans]
    candidates = [y] + [edge for span in grown for edge in span]
    clear = [c for c in candidates if not any(top < c < bottom for top, bottom in grown)]
    return round(min(clear, key=lambda c: (abs(c - y), c)), 1) if clear else y


def has_domains(diagram: Diagram) -> bool:
    """Whether any variable is a CX or EX one (what the Iceberg style separates)."""
    return any(v.domain in ("CX", "EX") for v in diagram.variables)


def wrong_sides(diagram: Diagram, positions: Mapping[str, Point], waterline: float) -> int:
    """How many CX variables lie below ``waterline``, and EX ones above it, at ``positions``
    (a variable missing there where it is)."""
    wrong = 0
    for v in diagram.variables:
        y = positions[v.id][1] if v.id in positions else v.y
        wrong += (v.domain == "CX" and y > waterline) or (v.domain == "EX" and y < waterline)
    return wrong


def turned_for_waterline(
    diagram: Diagram,
    style: str,
    positions: Mapping[str, Point],
    sizes: Mapping[str, Size],
    curvatures: Mapping[str, float],
) -> tuple[dict[str, Point], dict[str, float]]:
    """A whole layout of ``diagram`` (``positions`` of every variable, the links' new
    ``curvatures``) as it is, upside down, or (not for Layered, whose levels run left to right)
    turned half round about its middle: the one whose best waterline has fewest CX variables
    below it and EX ones above; the first of those on a tie. Upside down, every link bows to
    the other side of its direction, so its curvature changes sign; half a turn keeps them."""
    if diagram.waterline is None or not has_domains(diagram) or not positions:
        return dict(positions), dict(curvatures)
    left, top, right, bottom = bounds(rects(positions, sizes).values())
    mx, my = left + right, top + bottom  # twice the middle
    ways = [
        (dict(positions), dict(curvatures)),
        (
            {v: (x, my - y) for v, (x, y) in positions.items()},
            {k: -c for k, c in curvatures.items()},
        ),
    ]
    if style != "layered":
        ways.insert(1, ({v: (mx - x, my - y) for v, (x, y) in positions.items()}, dict(curvatures)))

    def wrong(way: tuple[dict[str, Point], dict[str, float]]) -> int:
        line = waterline_after(diagram, way[0], sizes, {})
        return wrong_sides(diagram, way[0], diagram.waterline if line is None else line)

    scores = [wrong(way) for way in ways]
    pos, bends = ways[scores.index(min(scores))]
    rounded = {v: (round(x, 2) + 0.0, round(y, 2) + 0.0) for v, (x, y) in pos.items()}
    return rounded, {k: c + 0.0 for k, c in bends.items()}
