"""The Loops style: each chosen loop (see :mod:`cld_editor.layout.cycles`) drawn as a round
cycle, cycles joined where loops share variables, everything else placed next to what it links to.

Cycles are placed one at a time, in the order chosen (labelled loops first, then shortest
first), always taking next the first loop that already has a placed member. A loop with one
placed member becomes a circle hanging off that member on the side where it collides least; a
loop with several placed members has its unplaced runs bent as arcs between them, bulging away
from what is placed. A circle runs clockwise unless running the other way crosses fewer links.
Circle sizes come from the real boxes: each member gets an arc of the circle as long as its box
plus room for the arrows. A gentle force-directed pass from the result finishes the piece.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from .boxes import GAP, Grid, Point, Rect, Size, free_spot, rects
from .cancel import checkpoint
from .crossing import PlacedLinks, estimated_crossings
from .cycles import loop_links
from .improve import improve
from .label_place import inside
from .layered import lay_out_layered
from .organic import lay_out_organic
from .pack import place_near_neighbours

#: Room along a cycle for the arrow between two boxes.
ARROW_ROOM = 95.0
MIN_RADIUS = 90.0
DIRECTIONS = 12
#: How much the final force-directed pass may move things (1 would start a new layout).
REFINE_HEAT = 0.05
#: Pieces of at most this many variables are laid out from each of their first MULTI_START
#: loops in turn, keeping the layout with the fewest crossings.
MULTI_START_SIZE = 60
MULTI_START = 6


def span(size: Size) -> float:
    """How much of a cycle's circumference a box takes, arrow room included."""
    return 0.7 * size[0] + 0.3 * size[1] + ARROW_ROOM


def radius_for(loop: Sequence[str], sizes: Mapping[str, Size]) -> float:
    total = sum(span(sizes[v]) for v in loop)
    if len(loop) == 2:
        return max(MIN_RADIUS, total / 4)
    return max(MIN_RADIUS, total / (2 * math.pi))


def circle_positions(
    loop: Sequence[str],
    sizes: Mapping[str, Size],
    centre: Point,
    radius: float,
    start_angle: float,
    clockwise: bool,
) -> dict[str, Point]:
    """Members on a circle, ``loop[0]`` at ``start_angle``, each given an arc as long as its
    box needs (y grows downwards, so increasing angles run clockwise on screen)."""
    spans = [span(sizes[v]) for v in loop]
    total = sum(spans)
    sign = 1.0 if clockwise else -1.0
    out: dict[str, Point] = {}
    angle = start_angle
    for i, v in enumerate(loop):
        out[v] = (centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle))
        step = (spans[i] + spans[(i + 1) % len(loop)]) / 2 / total * 2 * math.pi
        angle += sign * step
    return out


def _collisions(grid: Grid, new: Mapping[str, Point], sizes: Mapping[str, Size]) -> int:
    hits = 0
    boxes = rects(new, sizes)
    for key, box in boxes.items():
        hits += len(grid.overlapping(box, GAP, skip=key))
    keys = list(boxes)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            hits += boxes[a].overlaps(boxes[b], GAP)
    return hits


class Cycle(list):
    """A placed loop's member polygon, with its bounding box (left, top, right, bottom)."""

    def __init__(self, points: list[Point]) -> None:
        super().__init__(points)
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        self.box = (min(xs), min(ys), max(xs), max(ys))


def _score(
    grid: Grid,
    new: Mapping[str, Point],
    pos: Mapping[str, Point],
    sizes: Mapping[str, Size],
    neighbours: Mapping[str, list[str]],
    anchor: Point,
    cycles: Sequence[Cycle] = (),
    placed: PlacedLinks | None = None,
) -> float:
    collisions = _collisions(grid, new, sizes)
    # Hand-drawn diagrams do not nest one loop inside another: a member inside a placed cycle
    # costs more than a crossing.
    nested = sum(
        inside(p, cycle)
        for p in new.values()
        for cycle in cycles
        if cycle.box[0] <= p[0] <= cycle.box[2] and cycle.box[1] <= p[1] <= cycle.box[3]
    )
    crossings = estimated_crossings(new, pos, neighbours, placed) if placed is not None else 0
    # Placed neighbours of new members pull towards them (short links read better).
    pull = 0.0
    for v, p in new.items():
        for n in neighbours.get(v, ()):
            if n in pos:
                pull += math.dist(p, pos[n])
    spread = math.dist(_mean(new.values()), anchor)
    return collisions * 1e6 + nested * 2e4 + crossings * 1e4 + pull - 0.01 * spread


def _mean(points) -> Point:
    points = list(points)
    n = len(points) or 1
    return (sum(p[0] for p in points) / n, sum(p[1] for p in points) / n)


def _hang(
    loop: Sequence[str],
    anchor_id: str,
    pos: dict[str, Point],
    grid: Grid,
    sizes: Mapping[str, Size],
    neighbours: Mapping[str, list[str]],
    cycles: Sequence[Cycle],
    placed: PlacedLinks,
) -> dict[str, Point]:
    """A circle for ``loop`` through its one placed member."""
    k = loop.index(anchor_id)
    rotated = list(loop[k:]) + list(loop[:k])
    radius = radius_for(rotated, sizes)
    ax, ay = pos[anchor_id]
    best: tuple[float, dict[str, Point]] | None = None
    for d in range(DIRECTIONS):
        angle = -math.pi / 2 + 2 * math.pi * d / DIRECTIONS
        centre = (ax + radius * math.cos(angle), ay + radius * math.sin(angle))
        for clockwise in (True, False):
            ring = circle_positions(rotated, sizes, centre, radius, angle + math.pi, clockwise)
            new = {v: p for v, p in ring.items() if v != anchor_id}
            score = _score(grid, new, pos, sizes, neighbours, (ax, ay), cycles, placed)
            score += 0 if clockwise else 1
            if best is None or score < best[0]:
                best = (score, new)
    assert best is not None
    return best[1]


def _arc_points(a: Point, b: Point, lengths: Sequence[float], bulge: int) -> list[Point]:
    """Points spaced along a circular arc from ``a`` to ``b`` (exclusive), bowing to the left
    (``bulge`` 1) or right (-1) of a->b, as long as the gaps in ``lengths`` add up to."""
    chord = max(math.dist(a, b), 1.0)
    want = max(sum(lengths), chord * 1.05)
    # arc length = chord * (phi / 2) / sin(phi / 2): find the central angle phi.
    lo, hi = 1e-6, 2 * math.pi - 1e-3
    for _ in range(50):
        mid = (lo + hi) / 2
        if chord * (mid / 2) / math.sin(mid / 2) < want:
            lo = mid
        else:
            hi = mid
    phi = max(lo, math.radians(50))
    radius = chord / 2 / math.sin(phi / 2)
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    ux, uy = (b[0] - a[0]) / chord, (b[1] - a[1]) / chord
    nx, ny = uy * bulge, -ux * bulge  # left of a->b on screen when bulge is 1
    depth = radius * math.cos(phi / 2)  # centre lies on the other side of the chord
    centre = (mx - nx * depth, my - ny * depth)
    a0 = math.atan2(a[1] - centre[1], a[0] - centre[0])
    a1 = math.atan2(b[1] - centre[1], b[0] - centre[0])
    # Go the long way round through the bulge side.
    sweep = (a1 - a0) % (2 * math.pi)
    apex = math.atan2(
        my + ny * (radius - depth) - centre[1], mx + nx * (radius - depth) - centre[0]
    )
    if (apex - a0) % (2 * math.pi) > sweep:
        sweep -= 2 * math.pi
    total = sum(lengths)
    out: list[Point] = []
    run = 0.0
    for gap in lengths[:-1]:
        run += gap
        t = run / total
        angle = a0 + sweep * t
        out.append((centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle)))
    return out


def _bridge(
    loop: Sequence[str],
    pos: dict[str, Point],
    grid: Grid,
    sizes: Mapping[str, Size],
    neighbours: Mapping[str, list[str]],
    cycles: Sequence[Cycle],
    placed: PlacedLinks,
) -> dict[str, Point]:
    """Arcs for the unplaced runs of ``loop`` between its placed members."""
    n = len(loop)
    placed_at = [i for i, v in enumerate(loop) if v in pos]
    new: dict[str, Point] = {}
    for j, i in enumerate(placed_at):
        nxt = placed_at[(j + 1) % len(placed_at)]
        run = [loop[(i + k) % n] for k in range(1, (nxt - i) % n or n)]
        if not run:
            continue
        a, b = pos[loop[i]], pos[loop[nxt]]
        chain = [loop[i], *run, loop[nxt]]
        lengths = [
            (span(sizes[chain[k]]) + span(sizes[chain[k + 1]])) / 2 for k in range(len(chain) - 1)
        ]
        best: tuple[float, list[Point]] | None = None
        for bulge in (1, -1):
            points = _arc_points(a, b, lengths, bulge)
            trial = dict(zip(run, points, strict=True))
            trial = {**new, **trial}
            score = _score(grid, trial, pos, sizes, neighbours, _mean([a, b]), cycles, placed)
            if best is None or score < best[0]:
                best = (score, points)
        assert best is not None
        new.update(zip(run, best[1], strict=True))
    return new


def lay_out_loops(
    piece: list[str],
    loops: Sequence[Sequence[str]],
    sizes: Mapping[str, Size],
    neighbours: Mapping[str, list[str]],
    successors: Mapping[str, list[str]],
    every: bool = False,
):
    """Positions for one connected piece: its loops as cycles, then everything else. A small
    piece is laid out from each of its first few loops in turn, and the layout whose straight
    links cross least is kept (ties: the first); with ``every``, all of them are returned,
    that one first."""
    members = set(piece)
    todo = [loop for loop in loops if members.issuperset(loop)]
    if not todo:  # a tree or a chain reads best in levels
        pos = lay_out_layered(piece, successors, sizes)
        return [pos] if every else pos
    starts = range(min(MULTI_START, len(todo))) if len(piece) <= MULTI_START_SIZE else [0]
    made: list[tuple[int, int, dict[str, Point]]] = []
    for k in starts:
        order = [todo[k], *todo[:k], *todo[k + 1 :]]
        pos = _place(piece, order, sizes, neighbours)
        crossings = PlacedLinks(pos, neighbours).crossings() if len(starts) > 1 else 0
        made.append((crossings, k, pos))
    made.sort(key=lambda m: (m[0], m[1]))
    # The kept layout's variables on cycles then move a short way where that uncrosses links
    # (once: it costs more than the rest of a small piece's layout).
    drawn = [lp for lp in todo if all(v in made[0][2] for v in lp)]
    first = improve(made[0][2], piece, neighbours, sizes, drawn)
    return [first, *(m[2] for m in made[1:])] if every else first


def _place(
    piece: list[str],
    todo: list[Sequence[str]],
    sizes: Mapping[str, Size],
    neighbours: Mapping[str, list[str]],
) -> dict[str, Point]:
    todo_all = list(todo)
    todo = list(todo)
    pos: dict[str, Point] = {}
    grid = Grid({})
    cycles: list[Cycle] = []  # the member polygons of the loops placed so far
    while todo:
        checkpoint()
        nxt = next((lp for lp in todo if any(v in pos for v in lp)), todo[0])
        todo.remove(nxt)
        placed = [v for v in nxt if v in pos]
        if not placed:
            if pos:  # a loop not yet connected to what is placed: start it beside
                _, top, right, bottom = _bounds(pos, sizes)
                radius = radius_for(nxt, sizes)
                centre = (right + radius + 2 * GAP + 80, (top + bottom) / 2)
            else:
                radius, centre = radius_for(nxt, sizes), (0.0, 0.0)
            new = circle_positions(nxt, sizes, centre, radius, -math.pi / 2, True)
        elif len(placed) == 1:
            new = _hang(
                nxt, placed[0], pos, grid, sizes, neighbours, cycles, PlacedLinks(pos, neighbours)
            )
        elif len(placed) == len(nxt):
            continue
        else:
            new = _bridge(nxt, pos, grid, sizes, neighbours, cycles, PlacedLinks(pos, neighbours))
        for v, p in new.items():
            # A member that would sit on a placed box moves to the nearest free spot, so the
            # cycle keeps its shape where it can and nothing overlaps.
            p = free_spot(grid, p, sizes[v], GAP)
            pos[v] = p
            grid.add(v, Rect(p[0], p[1], sizes[v][0] / 2, sizes[v][1] / 2))
        if len(nxt) > 2:
            cycles.append(Cycle([pos[v] for v in nxt]))
    place_near_neighbours(pos, piece, neighbours, sizes)
    # A gentle force-directed pass from these positions shortens long links and uncrosses
    # many (on loop-rich diagrams of 100 variables, crossings fall by half or more) while
    # the cycles keep their shape.
    rounds = 160 if len(piece) <= 400 else 110  # each round costs n^2: fewer on big pieces
    pos = lay_out_organic(
        piece, neighbours, sizes, 0, initial=pos, heat=REFINE_HEAT, iterations=rounds
    )
    drawn = [lp for lp in todo_all if all(v in pos for v in lp)]
    return improve(pos, piece, neighbours, sizes, drawn, held_too=False)


def _bounds(
    pos: Mapping[str, Point], sizes: Mapping[str, Size]
) -> tuple[float, float, float, float]:
    boxes = rects(pos, sizes).values()
    return (
        min(b.left for b in boxes),
        min(b.top for b in boxes),
        max(b.right for b in boxes),
        max(b.bottom for b in boxes),
    )


def cycle_links(loops: Sequence[Sequence[str]]) -> set[tuple[str, str]]:
    return {pair for loop in loops for pair in loop_links(loop)}
