"""Arrange a diagram: run a style on the whole diagram or a selection, then choose link shapes,
loop-label spots and (for the iceberg) the waterline, and turn all of it into one undoable Op.

A style lays out each connected piece of the variables it arranges, and the pieces are packed
side by side. A whole-diagram layout is centred where the diagram was; a selection's layout is
centred where the selection was, everything else stays pinned, and the selection is pushed clear
of the pinned variables. Every style ends with the same overlap removal, so no two boxes come
closer than ``boxes.GAP``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..core.model import Diagram
from ..core.ops import (
    Batch,
    Op,
    SetDiagramProperties,
    move_variables,
    update_links,
    update_loop_labels,
)
from . import choose
from .boxes import GAP, Point, Size, bounds, diagram_sizes, rects, separate
from .clearing import ROUNDS, clear_links
from .cycles import adjacency, chosen_loops
from .layered import lay_out_layered
from .links import loop_label_spots
from .loops import PlacedLinks, lay_out_loops
from .organic import lay_out_organic
from .pack import by_piece, components, undirected
from .repair import repair

STYLES: tuple[str, ...] = ("loops", "layered", "organic", "iceberg")
STYLE_NAMES = {"loops": "Loops", "layered": "Layered", "organic": "Organic", "iceberg": "Iceberg"}
#: Imports without positions use the Organic style above this many variables, Loops below. On
#: the 271-variable Covid model (shared corpus) Loops crosses about as many links as Organic (855
#: against 834) and passes over far fewer variables (4 against 23), so Loops serves models of a
#: few hundred variables; beyond, its cycles matter less and Organic is a third faster
#: (1,000 variables: 3.1 s against 4.4 s; benchmarks/bench_layout.py).
ORGANIC_ABOVE = 500
#: How far a link running backwards (right to left) in the Layered style bows below the levels.
BACK_BOW = 0.3
#: Space between each iceberg band and the waterline.
WATER_MARGIN = 45.0
#: The Loops style weighs alternatives (the drawing it started from, a circle) up to this many
#: variables; a circle is tried up to CIRCLE_UP_TO variables with DENSE links per variable
#: (on sparser diagrams the circle's chords crossed more than the Loops result on every
#: example and corpus file).
CHOOSE_UP_TO = 150
CIRCLE_UP_TO = 40
DENSE = 2.0


@dataclass(frozen=True)
class Layout:
    """What an arrangement changes: positions of the variables it moved, link curvatures,
    loop-label centres and, for the iceberg, the waterline."""

    style: str
    positions: dict[str, Point]
    curvatures: dict[str, float] = field(default_factory=dict)
    labels: dict[str, Point] = field(default_factory=dict)
    waterline: float | None = None


def _style_positions(
    style: str,
    diagram: Diagram,
    members: list[str],
    sizes: Mapping[str, Size],
    seed: int,
) -> dict[str, Point]:
    keep = set(members)
    successors = adjacency(diagram, keep)
    neighbours = undirected(members, successors)
    if style == "loops":
        loops = chosen_loops(diagram, keep)
        return by_piece(
            members,
            neighbours,
            sizes,
            lambda p: lay_out_loops(p, loops, sizes, neighbours, successors),
        )
    if style == "layered":
        return by_piece(members, neighbours, sizes, lambda p: lay_out_layered(p, successors, sizes))
    if style == "organic":
        return by_piece(
            members, neighbours, sizes, lambda p: lay_out_organic(p, neighbours, sizes, seed)
        )
    raise ValueError(f"unknown layout style {style!r} (choose from {', '.join(STYLES)})")


def _centre(pos: Mapping[str, Point], sizes: Mapping[str, Size]) -> Point:
    left, top, right, bottom = bounds(rects(pos, sizes).values())
    return ((left + right) / 2, (top + bottom) / 2)


def _moved_to(pos: dict[str, Point], sizes: Mapping[str, Size], to: Point) -> dict[str, Point]:
    cx, cy = _centre(pos, sizes)
    dx, dy = to[0] - cx, to[1] - cy
    return {v: (x + dx, y + dy) for v, (x, y) in pos.items()}


def _bands(diagram: Diagram, members: list[str]) -> tuple[list[str], list[str]]:
    """CX and EX bands; an untagged variable joins the band most of its neighbours are in."""
    domain = {v.id: v.domain for v in diagram.variables}
    keep = set(members)
    neighbours = undirected(members, adjacency(diagram, keep))
    band = {v: domain[v] for v in members if domain[v] in ("CX", "EX")}
    for _ in range(3):
        for v in members:
            if v in band and domain[v] in ("CX", "EX"):
                continue
            cx = sum(1 for n in neighbours[v] if band.get(n) == "CX")
            ex = sum(1 for n in neighbours[v] if band.get(n) == "EX")
            if cx or ex:
                band[v] = "CX" if cx > ex else "EX"
    return (
        [v for v in members if band.get(v, "CX") == "CX"],
        [v for v in members if band.get(v) == "EX"],
    )


def _iceberg(
    diagram: Diagram,
    members: list[str],
    sizes: Mapping[str, Size],
    seed: int,
    centre: Point,
    waterline: float | None,
) -> tuple[dict[str, Point], float, dict[str, tuple[float, float]]]:
    above, below = _bands(diagram, members)
    top = _style_positions("loops", diagram, above, sizes, seed) if above else {}
    bottom = _style_positions("loops", diagram, below, sizes, seed) if below else {}
    if waterline is None:
        waterline = centre[1]
    pos: dict[str, Point] = {}
    limits: dict[str, tuple[float, float]] = {}
    if top:
        top = _moved_to(top, sizes, (centre[0], 0.0))
        lowest = bounds(rects(top, sizes).values())[3]
        shift = waterline - WATER_MARGIN - lowest
        pos.update({v: (x, y + shift) for v, (x, y) in top.items()})
        limits.update({v: (-1e9, waterline - WATER_MARGIN - sizes[v][1] / 2) for v in top})
    if bottom:
        bottom = _moved_to(bottom, sizes, (centre[0], 0.0))
        highest = bounds(rects(bottom, sizes).values())[1]
        shift = waterline + WATER_MARGIN - highest
        pos.update({v: (x, y + shift) for v, (x, y) in bottom.items()})
        limits.update({v: (waterline + WATER_MARGIN + sizes[v][1] / 2, 1e9) for v in bottom})
    return _fewest_crossings(diagram, pos, members, top), waterline, limits


def _fewest_crossings(
    diagram: Diagram, pos: dict[str, Point], members: list[str], top: Mapping[str, Point]
) -> dict[str, Point]:
    """The iceberg with its CX band as laid out or mirrored left to right, whichever has
    fewer links crossing (the links between the bands decide)."""
    neighbours = undirected(members, adjacency(diagram, set(members)))
    if not top:
        return pos
    mid = sum(pos[v][0] for v in top) / len(top)
    mirrored = {v: ((2 * mid - x, y) if v in top else (x, y)) for v, (x, y) in pos.items()}
    if PlacedLinks(mirrored, neighbours).crossings() < PlacedLinks(pos, neighbours).crossings():
        return mirrored
    return pos


def plan(
    diagram: Diagram,
    style: str = "loops",
    *,
    only: set[str] | None = None,
    seed: int = 0,
    sizes: Mapping[str, Size] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Layout:
    """The arrangement of ``diagram`` in ``style`` (see the module doc); ``sizes`` are the
    variables' box sizes as drawn (estimated where missing). ``progress`` is called with what
    starts next ("placing variables", "bending links clear of variables", "placing loop
    labels"); it may raise to abandon the layout (the editor's Cancel does)."""
    step = progress or _no_progress
    step("placing variables")
    if style not in STYLES:
        raise ValueError(f"unknown layout style {style!r} (choose from {', '.join(STYLES)})")
    box = diagram_sizes(diagram, sizes)
    old = {v.id: (v.x, v.y) for v in diagram.variables}
    members = [v.id for v in diagram.variables if only is None or v.id in only]
    if not members:
        return Layout(style, {})
    centre = _centre({v: old[v] for v in members}, box)
    limits: dict[str, tuple[float, float]] = {}
    waterline = None
    if style == "iceberg":
        pinned_line = diagram.waterline if only is not None else None
        new, waterline, limits = _iceberg(diagram, members, box, seed, centre, pinned_line)
    else:
        new = _moved_to(_style_positions(style, diagram, members, box, seed), box, centre)
    step("bending links clear of variables")
    scope = None if only is None else set(members)
    loops = chosen_loops(diagram) if style in ("loops", "iceberg") else []
    everything, curvatures = _finish(
        style, diagram, {**old, **new}, box, members, loops, limits, scope
    )
    if style == "loops" and only is None and len(members) <= CHOOSE_UP_TO:
        everything, curvatures = _best_of(diagram, everything, curvatures, box, members, loops)
    step("placing loop labels")
    positions = {v: everything[v] for v in members}
    curved = {link.id: link.curvature for link in diagram.links} | curvatures
    labels = loop_label_spots(diagram, everything, box, curved, only=scope)
    labels = {k: (round(x, 2) + 0.0, round(y, 2) + 0.0) for k, (x, y) in labels.items()}
    return Layout(style, positions, curvatures, labels, waterline)


def _finish(
    style: str,
    diagram: Diagram,
    everything: dict[str, Point],
    box: Mapping[str, Size],
    members: list[str],
    loops: list[tuple[str, ...]],
    limits: Mapping[str, tuple[float, float]],
    scope: set[str] | None,
) -> tuple[dict[str, Point], dict[str, float]]:
    """Positions and link bends of a style's result: boxes apart, links bent (and variables
    stepping aside) until no link passes over a variable it does not connect."""
    everything = separate(everything, box, set(members), GAP, limits=limits)
    everything.update(
        {v: (round(everything[v][0], 2) + 0.0, round(everything[v][1], 2) + 0.0) for v in members}
    )
    everything, curvatures = clear_links(
        diagram,
        everything,
        box,
        set(members),
        loops,
        limits,
        only=scope,
        back_bow=BACK_BOW if style == "layered" else 0.0,
        rounds=0 if style == "organic" else ROUNDS,  # the repair below serves Organic
    )
    return repair(diagram, everything, box, curvatures, set(members), loops, limits, only=scope)


def _best_of(
    diagram: Diagram,
    made: dict[str, Point],
    bends: dict[str, float],
    box: Mapping[str, Size],
    members: list[str],
    loops: list[tuple[str, ...]],
) -> tuple[dict[str, Point], dict[str, float]]:
    """The Loops result, unless an alternative is better (:mod:`.choose`): the diagram's own
    drawing, boxes parted and only the links in the way bent again, when the result would pass
    over more variables or, as many, cross more links (Arrange never returns a layout
    measurably worse than the drawing it started from; a drawing only worse in its loops'
    shapes is redrawn, which is what Arrange as Loops is for); and for a small dense diagram
    every variable on one circle (:func:`.choose.circle`), when it scores better. Ties keep the
    Loops result."""
    start = {v.id: (v.x, v.y) for v in diagram.variables}
    has_start = choose.usable_start(start, box)
    small = (
        3 <= len(members) <= CIRCLE_UP_TO
        and len(diagram.links) >= DENSE * len(members)
        and _connected(diagram, members)
    )
    if not has_start and not small:
        return made, bends
    drawn = {link.id: link.curvature for link in diagram.links}
    faults = choose.faults(diagram, made, box, drawn | bends, loops)
    best = (choose.score(diagram, made, box, drawn | bends, loops), made, bends)
    if small:
        pairs = [(link.source, link.target) for link in diagram.links]
        ring = _moved_to(choose.circle(made, members, box, pairs), box, _centre(made, box))
        pos, curved = _finish("loops", diagram, ring, box, members, loops, {}, None)
        value = choose.score(diagram, pos, box, drawn | curved, loops)
        if value < best[0]:
            best = (value, pos, curved)
            faults = choose.faults(diagram, pos, box, drawn | curved, loops)
    if has_start:
        pos, curved = repair(
            diagram, separate(start, box, set(members), GAP), box, {}, set(members), loops
        )
        kept = choose.faults(diagram, pos, box, drawn | curved, loops)
        if kept[:2] < faults[:2]:
            best = (0.0, pos, curved)
    return best[1], best[2]


def _connected(diagram: Diagram, members: list[str]) -> bool:
    neighbours = undirected(members, adjacency(diagram, set(members)))
    return len(components(members, neighbours)) == 1


def _no_progress(step: str) -> None:
    """Progress reported to nobody."""


def default_style(diagram: Diagram) -> str:
    """The style for a diagram that arrives without positions: Loops, Organic when large."""
    return "organic" if len(diagram.variables) > ORGANIC_ABOVE else "loops"


def arrange(
    diagram: Diagram,
    style: str = "loops",
    *,
    only: set[str] | None = None,
    seed: int = 0,
    sizes: Mapping[str, Size] | None = None,
) -> dict[str, Point]:
    """New centre positions for the variables ``style`` moves: every variable, or those in
    ``only`` (the others stay where they are). Same input, same output."""
    return plan(diagram, style, only=only, seed=seed, sizes=sizes).positions


def layout_op(diagram: Diagram, layout: Layout) -> Op | None:
    """One undoable step applying ``layout``: positions, link curvatures, loop labels and the
    waterline, named "Arrange (Loops)" and so on; None when it would change nothing."""
    name = "Tidy Up" if layout.style == "tidy" else f"Arrange ({STYLE_NAMES[layout.style]})"
    ops: list[Op] = []
    current = {v.id: (v.x, v.y) for v in diagram.variables}
    moved = {v: p for v, p in layout.positions.items() if current.get(v) != p}
    if moved:
        ops.append(move_variables(moved))
    bends = {link.id: link.curvature for link in diagram.links}
    changed = {i: {"curvature": c} for i, c in layout.curvatures.items() if bends.get(i) != c}
    if changed:
        ops.append(update_links(changed, name))
    spots = {b.id: (b.x, b.y) for b in diagram.loop_labels}
    placed = {i: {"x": x, "y": y} for i, (x, y) in layout.labels.items() if spots.get(i) != (x, y)}
    if placed:
        ops.append(update_loop_labels(placed, name))
    if layout.waterline is not None and layout.waterline != diagram.waterline:
        ops.append(SetDiagramProperties({"waterline": round(layout.waterline, 2)}, name))
    return Batch(tuple(ops), name) if ops else None
