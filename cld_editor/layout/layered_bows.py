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
from .drawn_links import SEGMENTS, DrawnLinks, apart, crossing_counts
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
        counts: list[dict[float, int]] = []
        for k in unit:
            a, b = ends[k]
            bows = list(dict.fromkeys((bends[k], *BOWS)))
            lines = _bowed(pos[a], pos[b], bows)
            counts.append(dict(zip(bows, crossing_counts(lines, others).tolist(), strict=True)))

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
