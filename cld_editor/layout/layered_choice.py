"""Choosing among Layered layouts of one piece (:mod:`.layered`) by the crossings of their
drawing, not of the levelled graph.

The levelled graph counts crossings along the dummy points of long links, but the drawing
joins a link's ends with one arc: a long link runs straight (or bent round the boxes in its
way) and a link back bows round the levels (below or above, as
:func:`~cld_editor.layout.links.link_curvatures` finds a clear bow). So each candidate, and
its mirror image top to bottom (which changes the side links back bow on first), is drawn as
the layout's last steps would draw it (link bends, both ways of bowing links back, as
:mod:`.finish` weighs them) and counted as :func:`~cld_editor.layout.metrics.crossings`
counts; the fewest wins, ties going to the earlier candidate (the plain layout comes first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..core.model import Diagram, Link, Variable
from .boxes import Point, Size
from .cancel import checkpoint
from .links import link_curvatures
from .metrics import crossings

#: Where a link back starts its bow in the Layered style (:data:`.finish.BACK_BOW`).
BACK_BOW = 0.3
#: Candidates (mirror images included) drawn and counted at most, by the piece's links: a
#: drawing costs about a millisecond per ten links.
DRAWN_WORK = 2400


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
) -> int:
    """Links crossing in the drawing of ``pos``: the fewer of the two ways of bowing links
    back (the smallest clear bows, or bows from BACK_BOW outwards)."""
    diagram = _piece_diagram(piece, succ, pos)
    best = -1
    for tight in (True, False):
        checkpoint()
        bends = link_curvatures(diagram, pos, sizes, back_bow=BACK_BOW, tight_back=tight)
        count = crossings(diagram, pos, sizes, bends)
        best = count if best < 0 else min(best, count)
        if not best:
            break
    return best


def fewest_drawn(
    candidates: Sequence[dict[str, Point]],
    piece: Sequence[str],
    succ: Mapping[str, list[str]],
    sizes: Mapping[str, Size],
) -> dict[str, Point]:
    """The candidate (or its mirror image) whose drawing crosses fewest links (see the module
    doc); as many as DRAWN_WORK allows, in order."""
    links = sum(len(succ[u]) for u in piece)
    budget = max(2, DRAWN_WORK // max(links, 1))
    best: tuple[int, dict[str, Point]] | None = None
    tried = 0
    for pos in candidates:
        mirrored = {v: (x, -y) for v, (x, y) in pos.items()}
        for option in (pos, mirrored):
            if tried >= budget:
                break
            tried += 1
            count = drawn_crossings(piece, succ, sizes, option)
            if best is None or count < best[0]:
                best = (count, option)
            if not count:
                return option
    assert best is not None
    return best[1]
