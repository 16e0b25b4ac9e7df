"""Choosing among Layered layouts of one piece (:mod:`.layered`) by the crossings of their drawing,
not of the levelled graph.

The levelled graph counts crossings along the dummy points of long links, but the drawing joins
a link's ends with one arc: a long link runs straight (or bent round the boxes in its way) and a
link back bows round the levels (below or above, as
:func:`~cld_editor.layout.links.link_curvatures` finds a clear bow). So each candidate, and its
mirror image top to bottom (which changes the side links back bow on first), and the long strips
among them folded into rows (:mod:`.layered_wrap`), is drawn as the layout's last steps would
draw it (link bends as :func:`~cld_editor.layout.links.link_curvatures` chooses them, both ways
of bowing links back, as :mod:`.finish` weighs them) and its crossings counted
(:mod:`.layered_sketch`); the best few are counted again with their bows turned over
(:func:`.layered_bows.turn_bows`, as the last step of a whole layout, :mod:`.layered_polish`,
turns them). A drawing that is a strip too long to read (:func:`.layered_wrap.too_long`) loses
to any that is not; then the fewest crossings win, then the shape nearest TARGET_ASPECT, then
the earlier candidate (the plain layout comes first). With the bows turned, the 15-variable
energy_tech model of the shared corpus is drawn as a strip without a crossing (1 before; its
best drawing once its bows are turned is third or fourth by the first count: TURNED = 2 misses
it; each costs about 10 ms there), but that strip is 16 times as wide as tall and the window
fits it at 34 %, where labels are not drawn: it is folded into two rows instead, still without
a crossing once the foldings near the best are counted with their bows turned (FOLD_SLACK).
On the drawings tried for the examples with loops, SIR and energy_tech (436),
the quick count equals :func:`~cld_editor.layout.metrics.crossings` on 94%, is within one on
97%, and where it is further off it counts more (drawings that lose anyway).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ..core.model import Diagram, Link, Variable
from .boxes import Point, Size
from .cancel import checkpoint
from .layered_bows import turn_bows
from .layered_sketch import sketch_crossings
from .layered_wrap import TARGET_ASPECT, aspect, foldings, too_long
from .links import arc_points, link_curvatures

#: Where a link back starts its bow in the Layered style (:data:`.finish.BACK_BOW`).
BACK_BOW = 0.3
#: Candidates (mirror images included) drawn and counted at most, by the piece's links: a
#: drawing of 20 links costs about 5 ms (two thirds of it choosing the link bends).
DRAWN_WORK = 480
#: The best ways folded into rows (:mod:`.layered_wrap`), and the drawings they may add.
FOLD_BASES = 2
FOLD_WORK = 480
#: The best candidates by that first count, drawn again both ways of bowing links back.
FINAL = 3
#: The best candidates by that first count, drawn again with their bows turned over.
TURNED = 4
#: When every strip is too long to read, the foldings (:mod:`.layered_wrap`) whose first count
#: is within FOLD_SLACK of the best folding's are drawn again with their bows turned, up to
#: FOLD_TURNED of them: turning bows takes a folded drawing further from its first count than
#: a strip (energy_tech: the folding that crosses no link once turned counts 3 at first, the
#: best first counts are 1; turned, those cross 1).
FOLD_SLACK = 3
FOLD_TURNED = 12
#: Pieces too big for that search (:func:`fewest_turned`): the best candidates by the first
#: count drawn again with their bows turned, among those drawn at most SPREAD times as big as
#: the first (the plain layout). A drawing crossing fewer links often bows long links round
#: the whole diagram: on 22 diagrams of 35 to 90 variables (loop-rich, random, the Stella
#: model of the shared corpus; benchmarks' box sizes, finished and polished) the drawings cross
#: 667 links and cover 264 units (millions of square units, arcs included) without this
#: limit, 689 and 202 with it, and 990 and 211 with the plain layouts (at 1.5 times: 679 and
#: 243; all with one sweep of the polish). The Stella model's drawing with fewest crossings (19)
#: is two and a half times as big as its plain one (28), which the limit keeps.
BIG_TURNED = 3
SPREAD = 1.25
#: Above this many links the drawings allowed fall with the square of the links, so that a
#: bigger piece's search takes no longer than a piece of this size (about 0.15 s).
FULL_LINKS = 24


def _piece_diagram(
    piece: Sequence[str], succ: Mapping[str, list[str]], pos: Mapping[str, Point]
) -> Diagram:
    variables = [Variable.model_construct(id=v, label=v, x=pos[v][0], y=pos[v][1]) for v in piece]
    links = [
        Link.model_construct(id=f"{k}", source=u, target=w, polarity="+", curvature=0.0)
        for k, (u, w) in enumerate((u, w) for u in piece for w in succ[u])
    ]
    return Diagram.model_construct(variables=variables, links=links, loop_labels=[])


def drawn_crossings(
    piece: Sequence[str],
    succ: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
    pos: Mapping[str, Point],
    ways: tuple[bool, ...] = (True, False),
) -> int:
    """Links crossing in the drawing of ``pos`` (:func:`.layered_sketch.sketch_crossings`):
    the fewer of the two ways of bowing links back (the smallest clear bows, or bows from
    BACK_BOW outwards)."""
    diagram = _piece_diagram(piece, succ, pos)
    ends = [(link.source, link.target) for link in diagram.links]
    best = -1
    for tight in ways:
        checkpoint()
        bends = link_curvatures(diagram, pos, sizes, back_bow=BACK_BOW, tight_back=tight)
        count = sketch_crossings(ends, pos, sizes, [bends[link.id] for link in diagram.links])
        best = count if best < 0 else min(best, count)
        if not best:
            break
    return best


def turned_crossings(
    piece: Sequence[str],
    succ: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
    pos: Mapping[str, Point],
    bends: dict[str, float] | None = None,
) -> int:
    """Links crossing in the drawing of ``pos`` with the smallest clear bows for links back
    (``bends``, when already chosen: :func:`tight_bends`), once the bows are turned over where
    that crosses fewer (:func:`.layered_bows.turn_bows`, as the polish of a whole diagram turns
    them)."""
    diagram = _piece_diagram(piece, succ, pos)
    if bends is None:
        bends = link_curvatures(diagram, pos, sizes, back_bow=BACK_BOW, tight_back=True)
    bends = turn_bows(diagram, pos, sizes, bends)
    ends = [(link.source, link.target) for link in diagram.links]
    return sketch_crossings(ends, pos, sizes, [bends[link.id] for link in diagram.links])


def tight_bends(
    piece: Sequence[str],
    succ: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
    pos: Mapping[str, Point],
) -> tuple[int, dict[str, float]]:
    """Links crossing in the drawing of ``pos`` with the smallest clear bows for links back (as
    :func:`drawn_crossings` counts them one way), and those bends."""
    diagram = _piece_diagram(piece, succ, pos)
    bends = link_curvatures(diagram, pos, sizes, back_bow=BACK_BOW, tight_back=True)
    ends = [(link.source, link.target) for link in diagram.links]
    return sketch_crossings(ends, pos, sizes, [bends[link.id] for link in diagram.links]), bends


def fewest_drawn(
    candidates: Sequence[dict[str, Point]],
    piece: Sequence[str],
    succ: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
) -> dict[str, Point]:
    """The candidate, its mirror image or a folding of one (:mod:`.layered_wrap`) whose
    drawing crosses fewest links (among those that are no strip too long to read, where there
    are such), ties going to the shape nearest TARGET_ASPECT, then to the earlier. Each is
    first drawn with the smallest clear bows for links back only (as many as DRAWN_WORK and
    FOLD_WORK allow); the best FINAL of those are drawn both ways, and the best TURNED (and,
    when the strips are too long, the foldings near the best one) with their bows turned
    over."""
    links = max(1, sum(len(succ[u]) for u in piece))
    budget = _allowance(DRAWN_WORK, links)
    unique = list({tuple(sorted(pos.items())): pos for pos in candidates}.values())
    drawn: list[tuple[bool, int, float, int, dict[str, Point]]] = []

    def draw(option: dict[str, Point]) -> None:
        count = drawn_crossings(piece, succ, sizes, option, (True,))
        long = too_long(option, sizes)
        drawn.append((long, count, _misshape(option, sizes), len(drawn), option))

    for pos in unique:
        for option in (pos, {v: (x, -y) for v, (x, y) in pos.items()}):
            if len(drawn) < budget:
                draw(option)
    # Long strips folded into rows: the best few ways (a strip's best order does not always
    # fold best).
    bases = [d[4] for d in sorted(drawn, key=lambda d: (d[1], d[3]))[:FOLD_BASES]]
    strips_too_long = any(d[0] for d in drawn)
    budget = len(drawn) + _allowance(FOLD_WORK, links)
    for base in bases:
        for option in foldings(base, sizes):
            if len(drawn) < budget:
                draw(option)
    drawn.sort(key=lambda d: d[:4])
    final = [
        (long, drawn_crossings(piece, succ, sizes, option), shape, k, option)
        for long, _, shape, k, option in drawn[:FINAL]
    ]
    turned = drawn[:TURNED]
    if strips_too_long:  # the foldings near the best one turned too
        short = [d for d in drawn if not d[0]]
        near = [d for d in short if d[1] <= short[0][1] + FOLD_SLACK] if short else []
        taken = {d[3] for d in turned}
        turned += [d for d in near[:FOLD_TURNED] if d[3] not in taken]
    final += [
        (long, turned_crossings(piece, succ, sizes, option), shape, k, option)
        for long, _, shape, k, option in turned
    ]
    return min(final, key=lambda d: d[:4])[4]


def fewest_turned(
    candidates: Sequence[dict[str, Point]],
    piece: Sequence[str],
    succ: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
) -> dict[str, Point]:
    """The candidate whose drawing crosses fewest links, for a piece too big for
    :func:`fewest_drawn`'s search: each is drawn with the smallest clear bows for links back,
    and of those whose drawing (boxes and arcs, either way of bowing links back) covers at most
    SPREAD times the area of the first candidate's, the best BIG_TURNED are counted again with
    their bows turned over (the fewest wins, then the first count, then the earlier one)."""
    if len(candidates) == 1:
        return candidates[0]
    drawn: list[tuple[int, int, dict[str, float]]] = []
    for k, pos in enumerate(candidates):
        checkpoint()
        count, bends = tight_bends(piece, succ, sizes, pos)
        drawn.append((count, k, bends))
    areas: dict[int, float] = {}

    def area(k: int) -> float:
        """The area of candidate k's drawing, the larger of its two ways of bowing links
        back (the smallest clear bows, or bows from BACK_BOW outwards, as the finish may
        choose)."""
        if k not in areas:
            pos, tight = candidates[k], drawn[k][2]
            diagram = _piece_diagram(piece, succ, pos)
            wide = link_curvatures(diagram, pos, sizes, back_bow=BACK_BOW, tight_back=False)
            areas[k] = max(_drawn_area(piece, succ, sizes, pos, b) for b in (tight, wide))
        return areas[k]

    best: list[tuple[int, int, dict[str, float]]] = []
    for count, k, bends in sorted(drawn, key=lambda d: d[:2]):
        if area(k) <= SPREAD * area(0):
            best.append((count, k, bends))
            if len(best) == BIG_TURNED:
                break
    final = [
        (turned_crossings(piece, succ, sizes, candidates[k], bends), count, k)
        for count, k, bends in best
    ]
    return candidates[min(final)[2]]


def _drawn_area(
    piece: Sequence[str],
    succ: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
    pos: Mapping[str, Point],
    bends: Mapping[str, float],
) -> float:
    """The area of the rectangle around the boxes at ``pos`` and the arcs of the links bent
    by ``bends`` (as :func:`tight_bends` numbers the links)."""
    left, top = math.inf, math.inf
    right, bottom = -math.inf, -math.inf
    for v in piece:
        (x, y), (w, h) = pos[v], sizes[v]
        left, right = min(left, x - w / 2), max(right, x + w / 2)
        top, bottom = min(top, y - h / 2), max(bottom, y + h / 2)
    links = ((u, w) for u in piece for w in succ[u])
    for k, (u, w) in enumerate(links):
        if abs(bends[f"{k}"]) >= 1e-3:
            points = arc_points(pos[u], pos[w], bends[f"{k}"], 40.0)
            left, right = min(left, points[:, 0].min()), max(right, points[:, 0].max())
            top, bottom = min(top, points[:, 1].min()), max(bottom, points[:, 1].max())
    return (right - left) * (bottom - top)


def _allowance(work: int, links: int) -> int:
    """Drawings of a piece of ``links`` links that ``work`` allows (see FULL_LINKS)."""
    if links <= FULL_LINKS:
        return max(2, work // links)
    return max(2, work * FULL_LINKS // (links * links))


def _misshape(pos: Mapping[str, Point], sizes: Mapping[str, Size]) -> float:
    """How far the shape of ``pos`` is from TARGET_ASPECT (as a ratio either way)."""
    return abs(math.log(aspect(pos, sizes) / TARGET_ASPECT))
