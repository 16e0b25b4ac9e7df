"""Link bows turned over for fewer crossings in a Layered drawing: used by the search among
candidates (:mod:`.layered_choice`, which counts each best candidate's crossings with its bows
turned) and by the last step of a whole layout (:mod:`.layered_polish`).

Each link, in document order, tries the bows of BOWS (straight, and either way up to 0.7, all
at once); a link and its link back choose theirs together, kept apart as
:func:`.links.link_curvatures` keeps them (the link bending leaves such a pair on its default
bows, where one of the two often cuts through the levels). A link takes the bow crossing fewest
other links as drawn, if fewer than now and clear of every variable it does not connect (as the
drawing aims it). Unlike :mod:`.bows` (Organic and Iceberg) it turns links with a link back too
and tries many bows, not a few. Same input, same output.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..core.model import Diagram
from .aims import drawn_points
from .boxes import Grid, Point, Size, rects
from .cancel import checkpoint
from .drawn_links import SEGMENTS, DrawnLinks, apart
from .link_checks import MARGIN, SPACING, aims_in_parts
from .links import blocking

#: Bows a link tries: straight, and every 0.05 up to 0.7 either way.
BOWS = tuple(round(k * 0.05, 2) for k in range(-14, 15))


def _bowed(p: Point, q: Point, bows: Sequence[float]) -> np.ndarray:
    """The link p -> q bent by each of ``bows`` (polylines: bows x SEGMENTS+1 x 2), drawn as
    :func:`.drawn_links.arcs` draws it, all bows at once."""
    c = np.asarray(bows, dtype=float)
    a, b = np.array(p, dtype=float), np.array(q, dtype=float)
    t = np.linspace(0.0, 1.0, SEGMENTS + 1)
    d = b - a
    chord = max(float(np.hypot(*d)), 1e-9)
    out = np.broadcast_to(a + d * t[:, None], (len(c), SEGMENTS + 1, 2)).copy()
    bent = np.abs(c) >= 1e-3
    if bent.any():
        cb = c[bent]
        n = np.array((d[1] / chord, -d[0] / chord))
        sag = cb * chord
        radius = (chord * chord / 4 + sag * sag) / (2 * np.abs(sag))
        mid = (a + b) / 2
        centre = mid[None, :] + n[None, :] * (sag - np.copysign(radius, sag))[:, None]
        a0 = np.arctan2(a[1] - centre[:, 1], a[0] - centre[:, 0])
        a1 = np.arctan2(b[1] - centre[:, 1], b[0] - centre[:, 0])
        apex = mid[None, :] + n[None, :] * sag[:, None]
        am = np.arctan2(apex[:, 1] - centre[:, 1], apex[:, 0] - centre[:, 0])
        forward = (a1 - a0) % (2 * math.pi)
        sweep = np.where((am - a0) % (2 * math.pi) < forward, forward, forward - 2 * math.pi)
        angles = a0[:, None] + sweep[:, None] * t[None, :]
        out[bent, :, 0] = centre[:, None, 0] + radius[:, None] * np.cos(angles)
        out[bent, :, 1] = centre[:, None, 1] + radius[:, None] * np.sin(angles)
    return out


def _crossed(lines: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """For each polyline of ``lines``, how many of ``poly`` it crosses (as
    :func:`.drawn_links.crossing_counts` counts them): only pieces whose boxes meet are tested,
    which for many bows of one link against every other link is a small share."""
    out = np.zeros(len(lines), dtype=np.int64)
    if not len(poly) or not len(lines):
        return out
    pieces = lines.shape[1] - 1
    a, b = lines[:, :-1].reshape(-1, 2), lines[:, 1:].reshape(-1, 2)
    c, d = poly[:, :-1].reshape(-1, 2), poly[:, 1:].reshape(-1, 2)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    olo, ohi = np.minimum(c, d), np.maximum(c, d)
    i, j = np.nonzero(
        (lo[:, None, 0] <= ohi[None, :, 0])
        & (olo[None, :, 0] <= hi[:, None, 0])
        & (lo[:, None, 1] <= ohi[None, :, 1])
        & (olo[None, :, 1] <= hi[:, None, 1])
    )
    if not len(i):
        return out
    hit = (_side(c[j], d[j], a[i]) * _side(c[j], d[j], b[i]) < 0) & (
        _side(a[i], b[i], c[j]) * _side(a[i], b[i], d[j]) < 0
    )
    found = np.unique((i[hit] // pieces) * len(poly) + j[hit] // (poly.shape[1] - 1))
    return np.bincount(found // len(poly), minlength=len(lines)).astype(np.int64)


def _side(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
    return (q[:, 0] - p[:, 0]) * (r[:, 1] - p[:, 1]) - (q[:, 1] - p[:, 1]) * (r[:, 0] - p[:, 0])


def turn_bows(
    diagram: Diagram, pos: Mapping[str, Point], sizes: Mapping[str, Size], bends: dict[str, float]
) -> dict[str, float]:
    """``bends`` with each link, in document order, on the bow of BOWS that crosses fewest
    links when fewer than now and clear of every variable; a link and its link back choose
    their bows together, kept apart (module doc)."""
    bends = dict(bends)
    drawn = DrawnLinks(diagram, pos, sizes, bends)
    if drawn.poly is None:
        return bends
    grid = Grid(rects(pos, sizes), cell=120.0)
    aims = aims_in_parts(diagram.links, pos, grid.boxes, bends)
    pair_ids = {(link.source, link.target): link.id for link in diagram.links}
    ends = {link.id: (link.source, link.target) for link in diagram.links}
    done: set[str] = set()
    clear: dict[tuple[str, float], bool] = {}
    for link in diagram.links:
        s, t = link.source, link.target
        if s == t or link.id not in drawn.row or link.id in done:
            continue
        checkpoint()
        unit = [link.id]
        partner = pair_ids.get((t, s))
        if partner is not None and partner in drawn.row:
            unit.append(partner)
        done.update(unit)
        others = drawn.poly[apart(drawn, s, t)]
        # A unit crossing nothing now has nothing to gain.
        if not _crossed(drawn.poly[[drawn.row[k] for k in unit]], others).any():
            continue
        counts: list[dict[float, int]] = []
        for k in unit:
            a, b = ends[k]
            bows = list(dict.fromkeys((bends[k], *BOWS)))
            lines = _bowed(pos[a], pos[b], bows)
            counts.append(dict(zip(bows, _crossed(lines, others).tolist(), strict=True)))

        def clear_of_boxes(k: str, c: float) -> bool:
            if (k, c) not in clear:
                a, b = ends[k]
                points = drawn_points(pos[a], pos[b], c, aims.get(k), SPACING)
                clear[(k, c)] = not blocking(points, grid, (a, b), MARGIN)
            return clear[(k, c)]

        now = sum(counts[i][bends[k]] for i, k in enumerate(unit))
        if len(unit) == 1:
            options = [((c,), n) for c, n in counts[0].items()]
        else:
            options = [
                ((c, d), n + m)
                for c, n in counts[0].items()
                for d, m in counts[1].items()
                if abs(c) >= 0.08 and abs(d) >= 0.08 and abs(c + d) >= 0.2
            ]
        options.sort(key=lambda o: (o[1], sum(abs(c) for c in o[0])))
        for choice, n in options:
            if n >= now:
                break
            if all(clear_of_boxes(k, c) for k, c in zip(unit, choice, strict=True)):
                for k, c in zip(unit, choice, strict=True):
                    bends[k] = c
                    drawn.redraw(k, pos, c, sizes)
                break
    return bends


__all__ = ["turn_bows"]
