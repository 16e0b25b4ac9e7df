"""Links kept clear of variables after the user moves some of them in one go (Align,
Distribute): the links touching a moved variable, and the links a moved variable now lies on,
are bent again by the same repair the layouts end with (:mod:`.repair`), restricted to those
links and moving no variable, so that none of them passes over a variable it does not connect
where a bend can get there. Qt-free; the window turns the result into one undo step.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.model import Diagram
from .boxes import Grid, Point, Size, diagram_sizes, rects
from .link_checks import links_over
from .repair import repair


def affected_links(
    diagram: Diagram, positions: Mapping[str, Point], sizes: Mapping[str, Size], moved: set[str]
) -> set[str]:
    """The links touching a variable of ``moved``, and those passing over one of them as
    drawn at ``positions``."""
    out = {link.id for link in diagram.links if link.source in moved or link.target in moved}
    grid = Grid(rects({v: positions[v] for v in moved}, sizes), cell=120.0)
    bends = {link.id: link.curvature for link in diagram.links}
    others = [link for link in diagram.links if link.id not in out and link.source != link.target]
    out.update(links_over(others, positions, bends, grid))
    return out


def bends_after_move(
    diagram: Diagram,
    moved: Mapping[str, Point],
    sizes: Mapping[str, Size] | None = None,
) -> dict[str, float]:
    """New curvatures (only those that change) for the links disturbed by moving variables
    to ``moved`` (see the module doc); ``sizes`` as drawn, estimated where missing."""
    if not moved:
        return {}
    box = diagram_sizes(diagram, sizes)
    pos = {v.id: (v.x, v.y) for v in diagram.variables} | dict(moved)
    affected = affected_links(diagram, pos, box, set(moved))
    if not affected:
        return {}
    _, bends = repair(diagram, pos, box, {}, set(), links=affected)
    drawn = {link.id: link.curvature for link in diagram.links}
    return {k: c for k, c in bends.items() if k in affected and drawn.get(k) != c}
