"""Tidy Up: keep a hand-made arrangement but take out its raggedness.

Centres that nearly line up (within ``ALIGN_WITHIN``) are put on one line, rows and columns
alike, each cluster on its mean; boxes that overlap or touch are pushed apart; links that pass
over or close by a variable they do not connect are bent clear of it (:mod:`.moved_links`),
and loop labels that now cover something move to the nearest clear spot. Variables that are
already apart and not nearly aligned stay where they are.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.model import Diagram
from .boxes import GAP, Point, Size, diagram_sizes, overlapping_pairs, rects, separate
from .loop_labels import loop_label_spots
from .moved_links import clear_bends, crowding_links
from .plan import Layout

#: Centres closer than this (scene units) on one axis are put on one line.
ALIGN_WITHIN = 12.0
#: Tidy keeps a smaller gap than a layout: it only takes out what touches.
TIDY_GAP = GAP / 2


def _line_up(values: dict[str, float]) -> dict[str, float]:
    """Values in runs no wider than ALIGN_WITHIN between neighbours become the run's mean."""
    order = sorted(values, key=lambda k: (values[k], k))
    out: dict[str, float] = {}
    run: list[str] = []
    for key in order:
        if run and values[key] - values[run[-1]] > ALIGN_WITHIN:
            out.update(_mean_of(run, values))
            run = []
        run.append(key)
    if run:
        out.update(_mean_of(run, values))
    return out


def _mean_of(run: list[str], values: dict[str, float]) -> dict[str, float]:
    if len(run) == 1 or values[run[-1]] - values[run[0]] > 2 * ALIGN_WITHIN:
        return {k: values[k] for k in run}  # a long chain of near neighbours is no line
    mean = round(sum(values[k] for k in run) / len(run), 2) + 0.0
    return dict.fromkeys(run, mean)


def tidy(
    diagram: Diagram,
    *,
    only: set[str] | None = None,
    sizes: Mapping[str, Size] | None = None,
) -> Layout:
    """The tidied arrangement of ``diagram`` (or only of the variables in ``only``)."""
    box = diagram_sizes(diagram, sizes)
    pos: dict[str, Point] = {v.id: (v.x, v.y) for v in diagram.variables}
    movable = {v for v in pos if only is None or v in only}
    if not movable:
        return Layout("tidy", {})
    xs = _line_up({v: pos[v][0] for v in movable})
    ys = _line_up({v: pos[v][1] for v in movable})
    pos.update({v: (xs[v], ys[v]) for v in movable})
    if overlapping_pairs(rects(pos, box), TIDY_GAP):
        pos = separate(pos, box, movable, TIDY_GAP)
    pos.update({v: (round(pos[v][0], 2) + 0.0, round(pos[v][1], 2) + 0.0) for v in movable})
    # A link keeps its bend unless it now runs over, or close by, a variable it does not
    # connect (:mod:`.moved_links`).
    placed = diagram.model_copy(
        update={
            "variables": [
                v.model_copy(update={"x": pos[v.id][0], "y": pos[v.id][1]})
                for v in diagram.variables
            ]
        }
    )
    curvatures = clear_bends(placed, pos, box, crowding_links(placed, pos, box))
    bends = {link.id: link.curvature for link in diagram.links} | curvatures
    # Labels stay unless something now covers them.
    covered = _covered_labels(diagram, pos, box)
    labels = {
        k: (round(x, 2) + 0.0, round(y, 2) + 0.0)
        for k, (x, y) in loop_label_spots(diagram, pos, box, bends).items()
        if k in covered
    }
    before = {v.id: (v.x, v.y) for v in diagram.variables}
    moved = {v: pos[v] for v in sorted(movable) if pos[v] != before[v]}
    old_bends = {link.id: link.curvature for link in diagram.links}
    bent = {k: c for k, c in curvatures.items() if c != old_bends[k]}
    return Layout("tidy", moved, bent, labels)


def _covered_labels(
    diagram: Diagram, pos: Mapping[str, Point], sizes: Mapping[str, Size]
) -> set[str]:
    """Loop labels that a variable's box now reaches into (a label is about 44 units wide)."""
    boxes = rects(pos, sizes)
    out = set()
    for label in diagram.loop_labels:
        for b in boxes.values():
            if abs(b.cx - label.x) < b.hw + 22 and abs(b.cy - label.y) < b.hh + 22:
                out.add(label.id)
                break
    return out
