"""Where imported things go: positions for variables a file did not place, and which loop a
free-standing loop marker ("R", "B2" drawn on the canvas) names.

Positions come from the team's automatic layout (:mod:`cld_editor.layout`, its style for a
diagram without positions), or, should that fail, from a deterministic fallback: the order a
depth-first walk along the links meets the variables, on a circle or in rows. A marker names
the loop of its kind whose drawing surrounds it (the smallest such, or the one its text names),
failing that the nearest.
"""

from __future__ import annotations

import math
from typing import Protocol

from ..analysis.loops import Loop
from ..core.model import Diagram
from ..layout.label_place import inside


class Marker(Protocol):
    text: str
    x: float
    y: float


#: A marker this close to a loop's centre, or closer than the loop's own size, sits beside it.
MARKER_REACH = 60.0


def best_loop(
    marker: Marker,
    loops: list[Loop],
    positions: dict[str, tuple[float, float]],
    used: set[tuple[str, ...]],
) -> Loop | None:
    """The loop a free-standing marker names, of the loops not yet labelled: the loop of the
    marker's name ("R2") drawn around or beside it (as cld-editor writes markers); one of its
    kind (R or B; an undetermined loop may be either) drawn around it, else one of its very
    kind beside it (a loop of two is drawn around nothing), else one of another kind drawn
    around it (the model's signs may have changed since it was drawn), else the nearest, of its
    kind first. Among equals, the one whose name is the marker's text, then the smallest or
    nearest."""
    letter = marker.text[:1].upper() if marker.text else ""
    kinds = {"R": "reinforcing", "B": "balancing"}
    best, best_score = None, None
    for loop in loops:
        if loop.key in used:
            continue
        points = [positions[v] for v in loop.variables]
        cx = sum(p[0] for p in points) / len(points)
        cy = sum(p[1] for p in points) / len(points)
        within = len(points) >= 3 and inside((marker.x, marker.y), points)
        size = abs(area(points)) if len(points) >= 3 else 0.0
        distance = math.hypot(marker.x - cx, marker.y - cy)
        reach = max(max(math.hypot(x - cx, y - cy) for x, y in points), MARKER_REACH)
        agrees = letter not in kinds or loop.polarity in (kinds[letter], "undetermined")
        same = letter not in kinds or loop.polarity == kinds[letter]
        near = distance <= 1.5 * reach
        named = loop.name == marker.text
        tier = (
            0
            if named and (within or near)  # its own name, beside it: a file cld-editor wrote
            else 1
            if within and agrees
            else 2
            if same and near
            else 3
            if within
            else 4
            if agrees
            else 5
        )
        score = (
            tier,
            0 if named else 1,
            0 if letter in kinds and loop.polarity == kinds[letter] else 1,
            size if within else distance,
        )
        if best_score is None or score < best_score:
            best, best_score = loop, score
    return best


Bends = dict[tuple[str, str], float]


def auto_layout(
    ids: list[str], edges: list[tuple[str, str]], labels: dict[str, str] | None = None
) -> tuple[dict[str, tuple[float, float]], Bends]:
    """Positions for a diagram whose file had none, and a curvature for each link (source,
    target) that needs one to pass over no other variable: the team's layout when it is
    there, otherwise variables in the order a depth-first walk along the links meets them (so
    a loop's members sit side by side), on a circle or, for many variables, in rows (and no
    bends)."""
    arranged = _team_layout(ids, edges, labels)
    if arranged is not None:
        return arranged
    successors: dict[str, list[str]] = {i: [] for i in ids}
    for s, t in edges:
        successors[s].append(t)
    order: list[str] = []
    seen: set[str] = set()
    for start in ids:
        stack = [start]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            order.append(node)
            stack.extend(reversed([t for t in successors[node] if t not in seen]))
    n = len(order)
    if n <= 24:
        radius = max(150.0, 170.0 * n / (2 * math.pi))
        return {
            node: (
                round(radius * math.cos(-math.pi / 2 + 2 * math.pi * k / n), 1) + 0.0,
                round(radius * math.sin(-math.pi / 2 + 2 * math.pi * k / n), 1) + 0.0,
            )
            for k, node in enumerate(order)
        }, {}
    columns = math.ceil(math.sqrt(n * 2))
    return {
        node: (float((k % columns) * 220), float((k // columns) * 130))
        for k, node in enumerate(order)
    }, {}


def _team_layout(
    ids: list[str], edges: list[tuple[str, str]], labels: dict[str, str] | None = None
) -> tuple[dict[str, tuple[float, float]], Bends] | None:
    """Positions and link bends from :mod:`cld_editor.layout` (its style for a diagram
    without positions)."""
    try:
        from ..layout import default_style, plan
    except ImportError:
        return None
    labels = labels or {}
    pairs = list(dict.fromkeys(edges))
    link_ids = _fresh_ids(len(pairs), set(ids))  # ids are unique across variables and links
    diagram = Diagram.model_validate(
        {
            "variables": [{"id": i, "label": labels.get(i, i), "x": 0.0, "y": 0.0} for i in ids],
            "links": [
                {"id": link_id, "source": s, "target": t}
                for link_id, (s, t) in zip(link_ids, pairs, strict=True)
            ],
        }
    )
    try:
        layout = plan(diagram, default_style(diagram))
    except Exception:
        return None
    positions = layout.positions
    if set(positions) != set(ids):
        return None
    bends = {
        pair: round(layout.curvatures[link_id], 4) + 0.0
        for link_id, pair in zip(link_ids, pairs, strict=True)
        if link_id in layout.curvatures
    }
    return {i: (round(x, 2) + 0.0, round(y, 2) + 0.0) for i, (x, y) in positions.items()}, bends


def _fresh_ids(count: int, taken: set[str]) -> list[str]:
    """``count`` ids l0, l1, ... skipping those in ``taken``."""
    fresh: list[str] = []
    n = 0
    while len(fresh) < count:
        if f"l{n}" not in taken:
            fresh.append(f"l{n}")
        n += 1
    return fresh


def canonical(ids: list[str]) -> tuple[str, ...]:
    if not ids:
        return ()
    start = min(range(len(ids)), key=lambda i: ids[i])
    return tuple(ids[start:]) + tuple(ids[:start])


def area(points: list[tuple[float, float]]) -> float:
    return (
        sum(
            x0 * points[(i + 1) % len(points)][1] - points[(i + 1) % len(points)][0] * y0
            for i, (x0, y0) in enumerate(points)
        )
        / 2
    )
