"""Arrange a diagram: run a style on the whole diagram or a selection, then choose link shapes,
loop-label spots and (for the iceberg) the waterline, and turn all of it into one undoable Op.
With the waterline shown, a whole layout in another style is turned over where that parts the
CX variables above from the EX ones below better (:func:`.water.turned_for_waterline`).

A style lays out each connected piece of the variables it arranges, and the pieces are packed
side by side. A whole-diagram layout is centred where the diagram was; a selection's layout is
centred where the selection was, everything else stays pinned, and the selection is pushed clear
of the pinned variables. Every style ends with the same steps (:mod:`.finish`): overlap removal,
so no two boxes come closer than ``boxes.GAP``, then link bends and the repair that leaves no
link, as drawn, over a variable it does not connect. The Loops style, arranging a whole diagram
of up to 300 variables, then weighs alternatives (:mod:`.alternatives`) and never returns a
layout measurably worse than the drawing it started from; Organic weighs several starts on a
small diagram (:mod:`.organic_best`), Iceberg two kinds of drawing (:mod:`.iceberg`), and both
then turn link bows over where that takes out crossings (:mod:`.bows`). A whole Layered layout
of up to 30 variables ends with a local search on its drawing (:mod:`.layered_polish`).
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
from .alternatives import CHOOSE_UP_TO, best_of, loops_candidates
from .bows import UP_TO as BOWS_UP_TO
from .bows import flip_bows
from .boxes import Point, Size, bounds, diagram_sizes, rects
from .cancel import checking, checkpoint
from .cycles import adjacency, chosen_loops
from .finish import centre_of, finish, moved_to
from .iceberg import WATER_MARGIN, arrange_iceberg, band_limits, banded, bands
from .layered_polish import polish as polish_layered
from .loop_labels import loop_label_spots
from .metrics import links_over_variables
from .organic_best import best_organic
from .pack import undirected
from .ring import half_rings, is_hairball, ring, ring_bends, ring_orders
from .styles import style_positions
from .untangle import untangle
from .water import turned_for_waterline, waterline_after

STYLES: tuple[str, ...] = ("loops", "layered", "organic", "iceberg")
STYLE_NAMES = {"loops": "Loops", "layered": "Layered", "organic": "Organic", "iceberg": "Iceberg"}
#: Imports without positions use the Organic style above this many variables, Loops below. On
#: the 271-variable Covid model (shared corpus) Loops crosses about as many links as Organic (855
#: against 834) and passes over far fewer variables (4 against 23), so Loops serves models of a
#: few hundred variables; beyond, its cycles matter less and Organic is a third faster
#: (1,000 variables: 3.1 s against 4.4 s; benchmarks/bench_layout.py).
ORGANIC_ABOVE = 500
#: Layered turns link bows over (:mod:`.bows`) up to this many variables: the Stella model of
#: the shared corpus (82 variables) crosses 50 links instead of 61 for 0.12 s more; on 100
#: loop-rich variables it would take the style past its 0.2 s goal.
LAYERED_BOWS_UP_TO = 90


@dataclass(frozen=True)
class Layout:
    """What an arrangement changes: positions of the variables it moved, link curvatures,
    loop-label centres and, for the iceberg, the waterline."""

    style: str
    positions: dict[str, Point]
    curvatures: dict[str, float] = field(default_factory=dict)
    labels: dict[str, Point] = field(default_factory=dict)
    waterline: float | None = None


def _on_ring(
    style: str,
    diagram: Diagram,
    members: list[str],
    sizes: Mapping[str, Size],
    centre: Point,
    loops: list[tuple[str, ...]],
) -> tuple[dict[str, Point], float | None, dict[str, tuple[float, float]], dict[str, float]]:
    """A hairball on a ring (:mod:`.ring`): positions, the waterline and band limits (Iceberg:
    CX on the upper half, EX on the lower), and the links' bends."""
    neighbours = undirected(members, adjacency(diagram, set(members)))
    if style != "iceberg":
        pos = ring(ring_orders(members, neighbours, sizes)[0], sizes, centre)
        return pos, None, {}, ring_bends(diagram, pos, centre)
    above, below = bands(diagram, members, loops)
    waterline = centre[1]
    top, bottom = ring_orders(members, neighbours, sizes, (above, below))
    pos = half_rings(top, bottom, sizes, centre[0], waterline, WATER_MARGIN)
    limits = band_limits(above, below, sizes, waterline)
    return pos, waterline, limits, ring_bends(diagram, pos, (centre[0], waterline))


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
    labels"); it may raise to abandon the layout (the editor's Cancel does), and is called
    again with the step under way from the step's long loops (:mod:`.cancel`), so that a raise
    ends the layout within a fraction of a second."""
    report = progress or _no_progress
    current = ["placing variables"]

    def step(name: str) -> None:
        current[0] = name
        report(name)

    with checking(lambda: report(current[0])):
        return _plan(diagram, style, only, seed, sizes, step)


def _plan(
    diagram: Diagram,
    style: str,
    only: set[str] | None,
    seed: int,
    sizes: Mapping[str, Size] | None,
    step: Callable[[str], None],
) -> Layout:
    step("placing variables")
    if style not in STYLES:
        raise ValueError(f"unknown layout style {style!r} (choose from {', '.join(STYLES)})")
    box = diagram_sizes(diagram, sizes)
    old = {v.id: (v.x, v.y) for v in diagram.variables}
    members = [v.id for v in diagram.variables if only is None or v.id in only]
    if not members:
        return Layout(style, {})
    centre = centre_of({v: old[v] for v in members}, box)
    limits: dict[str, tuple[float, float]] = {}
    waterline = None
    scope = None if only is None else set(members)
    loops = chosen_loops(diagram) if style in ("loops", "iceberg") else []
    # A hairball of a whole diagram goes on a ring, where no link need pass over a variable.
    hairball = (
        only is None and style in ("loops", "iceberg") and is_hairball(diagram, members, loops)
    )
    bends: dict[str, float] | None = None
    # A whole iceberg with everything in one band is drawn as Loops, the line beside it.
    shape, one_band = style, None
    if style == "iceberg" and only is None and not hairball:
        above, below = bands(diagram, members, loops)
        if not above or not below:
            shape, one_band = "loops", ("above" if above else "below")
    if hairball:
        new, waterline, limits, bends = _on_ring(style, diagram, members, box, centre, loops)
    elif shape == "iceberg" and only is not None:  # a selection: the line stays
        above, below = bands(diagram, members, loops)
        waterline = centre[1] if diagram.waterline is None else diagram.waterline
        new = banded(diagram, above, below, box, centre, waterline)
        limits = band_limits(above, below, box, waterline)
    others: list[dict[str, Point]] = []
    if shape == "loops" and only is None and not hairball:
        others = loops_candidates(diagram, members, box, loops, centre)
    if others:
        new, others = others[0], others[1:]
    elif shape != "iceberg" and not hairball:
        new = moved_to(style_positions(shape, diagram, members, box, seed), box, centre)
    step("bending links clear of variables")
    whole_iceberg = shape == "iceberg" and only is None and not hairball
    if whole_iceberg:
        everything, curvatures, waterline, limits = arrange_iceberg(
            diagram, members, box, centre, old, loops
        )
        everything, curvatures = untangle(  # untangled in each band
            diagram, everything, curvatures, box, members, loops, "iceberg", limits
        )
    else:
        everything, curvatures = finish(
            shape, diagram, {**old, **new}, box, members, loops, limits, scope, bends
        )
    if style == "organic" and only is None:
        everything, curvatures = best_organic(
            diagram, members, box, seed, old, (everything, curvatures)
        )
    if (
        (whole_iceberg or (style == "organic" and only is None)) and len(members) <= BOWS_UP_TO
    ) or (style == "layered" and only is None and len(members) <= LAYERED_BOWS_UP_TO):
        curvatures = flip_bows(diagram, everything, box, curvatures, loops)
    if style == "layered" and only is None:
        everything, curvatures = polish_layered(diagram, everything, curvatures, box, members)
    if shape == "loops" and only is None and len(members) <= CHOOSE_UP_TO and not hairball:
        everything, curvatures = best_of(
            diagram, everything, curvatures, box, members, loops, others
        )
    if only is None and style in ("loops", "iceberg") and not hairball:
        laid = (everything, curvatures)
        on_ring = _ring_if_clearer(style, diagram, members, box, centre, loops, old, laid)
        if on_ring is not None:
            everything, curvatures, waterline = on_ring
            one_band = None
    if one_band is not None:
        edges = bounds(rects({v: everything[v] for v in members}, box).values())
        waterline = edges[3] + WATER_MARGIN if one_band == "above" else edges[1] - WATER_MARGIN
    if only is None and style != "iceberg" and diagram.waterline is not None:
        # A waterline shown: the drawing turned over where that parts CX from EX better.
        everything, curvatures = turned_for_waterline(diagram, style, everything, box, curvatures)
    step("placing loop labels")
    positions = {v: everything[v] for v in members}
    curved = {link.id: link.curvature for link in diagram.links} | curvatures
    if waterline is None:  # a waterline shown moves to the gap that best parts CX from EX
        staying = {  # the labels not placed afresh below
            b.id: (b.x, b.y)
            for b in diagram.loop_labels
            if any(v not in everything for v in b.loop)
            or (scope is not None and scope.isdisjoint(b.loop))
        }
        waterline = waterline_after(diagram, everything, box, staying)
    labels = loop_label_spots(diagram, everything, box, curved, only=scope, waterline=waterline)
    labels = {k: (round(x, 2) + 0.0, round(y, 2) + 0.0) for k, (x, y) in labels.items()}
    return Layout(style, positions, curvatures, labels, waterline)


def _ring_if_clearer(
    style: str,
    diagram: Diagram,
    members: list[str],
    box: Mapping[str, Size],
    centre: Point,
    loops: list[tuple[str, ...]],
    old: Mapping[str, Point],
    laid: tuple[dict[str, Point], dict[str, float]],
) -> tuple[dict[str, Point], dict[str, float], float | None] | None:
    """A whole Loops or Iceberg layout must leave no link over a variable it does not connect.
    Where the finish's repair ran out of its budget first (links between random pairs of a few
    hundred variables: long links through crowds, and for an iceberg its bands to keep), the
    diagram is drawn on the ring instead (:mod:`.ring`, as a hairball is) when that passes over
    fewer: its positions, bends and waterline; None keeps the layout ``laid``."""
    everything, curvatures = laid
    drawn = {link.id: link.curvature for link in diagram.links}
    over = links_over_variables(diagram, everything, box, drawn | curvatures)
    if not over:
        return None
    checkpoint()
    new, waterline, limits, bends = _on_ring(style, diagram, members, box, centre, loops)
    checkpoint()
    pos, bent = finish(style, diagram, {**old, **new}, box, members, loops, limits, None, bends)
    if links_over_variables(diagram, pos, box, drawn | bent) >= over:
        return None
    return pos, bent, waterline


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
