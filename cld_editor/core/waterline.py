"""Where a new iceberg waterline goes: the gap between the variables as drawn that best separates
the customer (CX) variables above from the employee (EX) ones below.

Plain numbers in diagram units: the caller measures what is drawn (each variable's top and
bottom, the polarity signs and loop labels to keep clear of) and :func:`default_waterline`
picks a y. Used by the Show Waterline edit (:func:`cld_editor.core.edits.show_waterline`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from .document import Document

#: (top, bottom) of something drawn, in diagram units.
Span = tuple[float, float]
#: At least this much is kept between the waterline and any variable's box (a wider gap is
#: preferred among those that separate CX from EX as well).
WATERLINE_CLEARANCE = 3.0
#: How far above (below) every variable the line goes when no gap between them suits.
WATERLINE_OUTSIDE = 40.0


def _free_gaps(spans: Iterable[Span]) -> list[Span]:
    """The open stretches between (and around) ``spans``: (-inf, first top), ..., (last
    bottom, inf)."""
    gaps: list[Span] = []
    reach = -math.inf
    for top, bottom in sorted(spans):
        if top > reach:
            gaps.append((reach, top))
        reach = max(reach, bottom)
    gaps.append((reach, math.inf))
    return gaps


def _middle_clear_of(gap: Span, marks: Sequence[Span]) -> float:
    """The middle of the longest part of ``gap`` that no mark covers (the gap's middle when
    marks cover all of it)."""
    g0, g1 = gap
    pieces = _free_gaps([(max(t, g0), min(b, g1)) for t, b in marks if b > g0 and t < g1])
    pieces = [(max(a, g0), min(b, g1)) for a, b in pieces if min(b, g1) > max(a, g0)]
    a, b = max(pieces, key=lambda p: p[1] - p[0]) if pieces else gap
    return (a + b) / 2


def wrong_side(doc: Document, y: float) -> tuple[int, int]:
    """(variables on the wrong side of a waterline at ``y``: CX below it or EX above it,
    variables tagged CX or EX)."""
    tagged = [v for v in doc.variables.values() if v.domain in ("CX", "EX")]
    wrong = sum((v.y > y) if v.domain == "CX" else (v.y < y) for v in tagged)
    return wrong, len(tagged)


def default_waterline(
    doc: Document,
    spans: Mapping[str, Span] | None = None,
    marks: Sequence[Span] = (),
) -> float:
    """A y for the iceberg waterline in the gap between variables that best separates the CX
    variables (above) from the EX ones (below): the fewest on the wrong side, then the widest
    gap. Without CX or EX variables, the gap nearest the middle of the diagram. ``spans`` gives
    each variable's (top, bottom) as drawn (label and badge included; default: its centre), so
    the line passes through no box; within the gap it keeps clear of ``marks`` (polarity signs,
    loop labels) where it can."""
    variables = doc.variables
    if not variables:
        return 0.0
    if spans is None:
        spans = {i: (v.y, v.y) for i, v in variables.items()}
    grown = [
        (top - WATERLINE_CLEARANCE, bottom + WATERLINE_CLEARANCE)
        for i, (top, bottom) in spans.items()
        if i in variables
    ]
    lowest_top = min(t for t, _ in grown)
    highest_bottom = max(b for _, b in grown)
    gaps = [
        (
            max(g0, lowest_top - 2 * WATERLINE_OUTSIDE),
            min(g1, highest_bottom + 2 * WATERLINE_OUTSIDE),
        )
        for g0, g1 in _free_gaps(grown)
    ]
    cx = [v.y for v in variables.values() if v.domain == "CX"]
    ex = [v.y for v in variables.values() if v.domain == "EX"]
    middle = (lowest_top + highest_bottom) / 2

    def rank(gap: Span) -> tuple[float, ...]:
        y = (gap[0] + gap[1]) / 2
        if cx and ex:
            wrong = sum(c > y for c in cx) + sum(e < y for e in ex)
            return (wrong, -(gap[1] - gap[0]), abs(y - middle))
        return (abs(y - middle),)

    return round(_middle_clear_of(min(gaps, key=rank), marks), 1)
