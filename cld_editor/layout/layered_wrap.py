"""Long Layered strips folded into rows (:mod:`.layered`), for a better shape on screen.

A diagram that is one long chain of levels (a big loop of a dozen variables makes a dozen
levels) comes out as a strip many times wider than tall. Its columns can be cut into rows of
about equal width stacked top to bottom: either each row again left to right (wrapped), or
every other row right to left (a snake: the link from one row's last column to the next row's
first one stays short, and a big loop drawn this way closes like a ring). The Layered style
draws each as one more candidate and keeps a folded one when it crosses no more links than
the strip, or when the strip is too long to read (:func:`too_long`: wider than MAX_ASPECT
times its height and too big to show whole in a window at the zoom from which labels are
drawn): the 15-variable energy_tech model of the shared corpus was a 16:1 strip that the
window fitted at 34 %, its boxes blank (labels are drawn from 54 %), because every folding
crossed one link more (:mod:`.layered_choice`). Only pieces of up to 30 variables are folded
(:data:`.layered.CHOOSE_UP_TO`): the 82-variable Stella model of the shared corpus is laid out
5 times as wide as tall but its link bows make the drawing 1.9 times, and its foldings cross 50
to 130 links instead of 30.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from .boxes import Point, Size

#: Strips of at least FOLD_COLUMNS levels, wider than FOLD_ABOVE times their height, are
#: folded (a chain of four or five boxes reads well as it is).
FOLD_ABOVE = 4.0
FOLD_COLUMNS = 6
#: The shape folding aims at (width over height), and the most rows tried.
TARGET_ASPECT = 1.8
MAX_ROWS = 4
#: Space between two rows: room for the links between them to bow.
ROW_SPACE = 110.0
#: A strip wider than MAX_ASPECT times its height is too long when it does not fit, whole,
#: in VIEW (the canvas of a 1,600 x 1,000 window beside its docks, in pixels) at LABELS_FROM,
#: the zoom from which the canvas draws the variables' labels.
MAX_ASPECT = 2.5
VIEW = (1070.0, 800.0)
LABELS_FROM = 0.54


def _columns(pos: Mapping[str, Point]) -> list[list[str]]:
    by_x: dict[float, list[str]] = {}
    for v, (x, _) in pos.items():
        by_x.setdefault(x, []).append(v)
    return [by_x[x] for x in sorted(by_x)]


def aspect(pos: Mapping[str, Point], sizes: Mapping[str, Size]) -> float:
    """Width over height of the boxes at ``pos``."""
    left = min(x - sizes[v][0] / 2 for v, (x, _) in pos.items())
    right = max(x + sizes[v][0] / 2 for v, (x, _) in pos.items())
    top = min(y - sizes[v][1] / 2 for v, (_, y) in pos.items())
    bottom = max(y + sizes[v][1] / 2 for v, (_, y) in pos.items())
    return (right - left) / max(bottom - top, 1.0)


def too_long(pos: Mapping[str, Point], sizes: Mapping[str, Size]) -> bool:
    """Whether the boxes at ``pos`` make a strip too long to read (see MAX_ASPECT)."""
    left = min(x - sizes[v][0] / 2 for v, (x, _) in pos.items())
    right = max(x + sizes[v][0] / 2 for v, (x, _) in pos.items())
    top = min(y - sizes[v][1] / 2 for v, (_, y) in pos.items())
    bottom = max(y + sizes[v][1] / 2 for v, (_, y) in pos.items())
    width, height = right - left, max(bottom - top, 1.0)
    fits = width * LABELS_FROM <= VIEW[0] and height * LABELS_FROM <= VIEW[1]
    return width / height > MAX_ASPECT and not fits


def folded(
    pos: Mapping[str, Point],
    sizes: Mapping[str, Size],
    rows: int,
    snake: bool,
    flips: int = 0,
) -> dict[str, Point] | None:
    """``pos`` (columns of a Layered layout) cut into ``rows`` rows of about equal width; row
    r upside down where bit r of ``flips`` is set. None when there are too few columns."""
    columns = _columns(pos)
    if rows < 2 or len(columns) < 2 * rows:
        return None
    left = [min(pos[v][0] - sizes[v][0] / 2 for v in c) for c in columns]
    right = [max(pos[v][0] + sizes[v][0] / 2 for v in c) for c in columns]
    width = right[-1] - left[0]
    cuts = [0]
    for r in range(1, rows):
        goal = left[0] + width * r / rows
        k = min(range(cuts[-1] + 1, len(columns)), key=lambda i: abs(left[i] - goal))
        cuts.append(k)
    cuts.append(len(columns))
    if len(set(cuts)) != len(cuts):
        return None
    out: dict[str, Point] = {}
    span = max(right[b - 1] - left[a] for a, b in itertools.pairwise(cuts))
    top = 0.0
    for r, (a, b) in enumerate(itertools.pairwise(cuts)):
        members = [v for c in columns[a:b] for v in c]
        high = min(pos[v][1] - sizes[v][1] / 2 for v in members)
        low = max(pos[v][1] + sizes[v][1] / 2 for v in members)
        for v in members:
            x = pos[v][0] - left[a]
            if snake and r % 2:
                x = span - x
            y = low - pos[v][1] if flips >> r & 1 else pos[v][1] - high
            out[v] = (x, y + top)
        top += low - high + ROW_SPACE
    return out


def foldings(pos: Mapping[str, Point], sizes: Mapping[str, Size]) -> list[dict[str, Point]]:
    """The folded forms of ``pos`` worth drawing: none for a short strip (see FOLD_ABOVE and
    :func:`too_long`); else, for each number of rows up to the one nearest TARGET_ASPECT, the
    snake with its rows either way up (two rows: all four ways; more: as laid out, or every
    other row upside down), and the wrapped form."""
    if len(_columns(pos)) < FOLD_COLUMNS:
        return []
    if aspect(pos, sizes) <= FOLD_ABOVE and not too_long(pos, sizes):
        return []
    out = []
    for rows in range(2, MAX_ROWS + 1):
        odd = sum(1 << r for r in range(1, rows, 2))
        even = sum(1 << r for r in range(0, rows, 2))
        flips = range(4) if rows == 2 else (0, odd, even)
        made = [f for flip in flips if (f := folded(pos, sizes, rows, True, flip))]
        if not made:
            break
        out += made
        wrapped = folded(pos, sizes, rows, False)
        if wrapped:
            out.append(wrapped)
        if aspect(made[0], sizes) <= TARGET_ASPECT:
            break
    return out
