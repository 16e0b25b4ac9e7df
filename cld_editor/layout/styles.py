"""Where one style puts a set of variables, piece by piece: the Loops, Layered and Organic
styles' positions before the finish (link bows, repair), used by :mod:`.plan` for a style and
by :mod:`.iceberg` for each band and for the whole diagram's loop drawing."""

from __future__ import annotations

from collections.abc import Mapping

from ..core.model import Diagram
from .boxes import Point, Size
from .cycles import adjacency, chosen_loops
from .layered import lay_out_layered
from .loops import lay_out_loops
from .organic import lay_out_organic
from .pack import by_piece, undirected

#: The styles with positions of their own (Iceberg is Loops in bands).
SHAPES: tuple[str, ...] = ("loops", "layered", "organic")


def style_positions(
    style: str,
    diagram: Diagram,
    members: list[str],
    sizes: Mapping[str, Size],
    seed: int = 0,
) -> dict[str, Point]:
    """``members`` laid out in ``style`` (one of :data:`SHAPES`), each connected piece on its
    own and the pieces packed side by side."""
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
    raise ValueError(f"unknown layout style {style!r} (choose from {', '.join(SHAPES)})")
