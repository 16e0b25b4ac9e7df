"""The Layered style's own steps (layout/layered.py): crossings counted between two levels,
barycentre ordering of a level, and the layout of one piece (links run left to right, boxes
of a column apart, planar layered graphs drawn without crossings, same input same output)."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from cld_editor.layout.boxes import GAP
from cld_editor.layout.layered import lay_out_layered
from cld_editor.layout.layered_order import BLOCK, Levels, count_crossings


def brute_count(upper: list[int], lower: list[int]) -> int:
    return sum(
        1
        for a in range(len(upper))
        for b in range(len(upper))
        if upper[a] < upper[b] and lower[a] > lower[b]
    )


@pytest.mark.parametrize("links", [0, 1, 7, 60, BLOCK + 37])
def test_crossings_between_two_levels_are_counted_exactly(links: int) -> None:
    rng = random.Random(links)
    upper = [rng.randrange(20) for _ in range(links)]
    lower = [rng.randrange(20) for _ in range(links)]
    count = count_crossings(np.array(upper, dtype=np.int64), np.array(lower, dtype=np.int64))
    assert count == brute_count(upper, lower)


def test_a_level_is_ordered_by_the_barycentre_of_its_links() -> None:
    # Level 0: a b c; level 1: p q r s. p links to c, q to a, r to a and c, s to nothing.
    names = ["a", "b", "c", "p", "q", "r", "s"]
    layer_of = {"a": 0, "b": 0, "c": 0, "p": 1, "q": 1, "r": 1, "s": 1}
    down = {"a": ["q", "r"], "b": [], "c": ["p", "r"], "p": [], "q": [], "r": [], "s": []}
    levels = Levels(names, layer_of, down)
    assert levels.total() == 2  # a-r crosses c-p, a-q does not
    levels.sort_level(1, downward=True)
    # q: 0, r: (0 + 2) / 2 = 1, p: 2, s keeps its slot 3.
    assert [names[k] for k in levels.layers[1].tolist()] == ["q", "r", "p", "s"]
    assert levels.total() == 0


def segments_cross(p, q, r, s) -> bool:
    def side(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    return side(p, q, r) * side(p, q, s) < 0 and side(r, s, p) * side(r, s, q) < 0


def drawn_crossings(pos, links) -> int:
    count = 0
    for i, (a, b) in enumerate(links):
        for c, d in links[i + 1 :]:
            if len({a, b, c, d}) == 4 and segments_cross(pos[a], pos[b], pos[c], pos[d]):
                count += 1
    return count


def zigzag(n: int) -> tuple[list[str], dict[str, list[str]]]:
    """s0 -> t0 <- s1 -> t1 <- s2 ...: planar in two levels, the targets listed backwards."""
    sources = [f"s{i}" for i in range(n)]
    targets = [f"t{i}" for i in reversed(range(n - 1))]
    successors = {f"s{i}": [] for i in range(n)}
    for i in range(n - 1):
        successors[f"s{i}"].append(f"t{i}")
        successors[f"s{i + 1}"].append(f"t{i}")
    return targets + sources, successors


def test_a_planar_layered_graph_is_drawn_without_crossings() -> None:
    piece, successors = zigzag(8)
    sizes = {v: (80.0, 30.0) for v in piece}
    pos = lay_out_layered(piece, successors, sizes)
    links = [(u, v) for u, vs in successors.items() for v in vs]
    assert drawn_crossings(pos, links) == 0
    assert all(pos[v][0] > pos[u][0] for u, v in links)


def random_piece(n: int, seed: int) -> tuple[list[str], dict[str, list[str]]]:
    rng = random.Random(seed)
    piece = [f"v{i}" for i in range(n)]
    successors: dict[str, list[str]] = {v: [] for v in piece}
    for i in range(1, n):  # connected: each links to an earlier one, either way
        j = rng.randrange(i)
        a, b = (piece[i], piece[j]) if rng.random() < 0.5 else (piece[j], piece[i])
        successors[a].append(b)
    for _ in range(n // 2):
        a, b = rng.sample(piece, 2)
        if b not in successors[a]:
            successors[a].append(b)
    return piece, successors


@pytest.mark.parametrize("seed", range(6))
def test_columns_keep_their_boxes_apart_and_the_result_is_fixed(seed: int) -> None:
    piece, successors = random_piece(40 + 10 * seed, seed)
    rng = random.Random(seed)
    sizes = {v: (rng.uniform(40, 160), rng.uniform(24, 60)) for v in piece}
    pos = lay_out_layered(piece, successors, sizes)
    assert set(pos) == set(piece)
    assert pos == lay_out_layered(piece, successors, sizes)
    columns: dict[float, list[str]] = {}
    for v, (x, _) in pos.items():
        columns.setdefault(x, []).append(v)
    for members in columns.values():
        members.sort(key=lambda v: pos[v][1])
        for upper, lower in itertools.pairwise(members):
            room = pos[lower][1] - pos[upper][1] - (sizes[upper][1] + sizes[lower][1]) / 2
            assert room >= GAP - 1e-6


def test_without_cycles_every_link_runs_left_to_right() -> None:
    piece = [f"v{i}" for i in range(30)]
    rng = random.Random(3)
    successors = {v: [] for v in piece}
    for i in range(1, 30):
        successors[piece[rng.randrange(i)]].append(piece[i])
        if i > 2:
            successors[piece[rng.randrange(i - 1)]].append(piece[i])
    pos = lay_out_layered(piece, successors, {v: (70.0, 30.0) for v in piece})
    assert all(pos[v][0] > pos[u][0] for u, vs in successors.items() for v in vs)


def test_a_constant_sits_next_to_the_variable_it_feeds() -> None:
    # a -> b -> c -> d -> e, and a constant k -> e: k goes in d's column, not in a's.
    piece = ["a", "b", "c", "d", "e", "k"]
    successors = {"a": ["b"], "b": ["c"], "c": ["d"], "d": ["e"], "e": [], "k": ["e"]}
    pos = lay_out_layered(piece, successors, {v: (60.0, 30.0) for v in piece})
    assert pos["k"][0] == pos["d"][0] < pos["e"][0]
    # And a variable fed by the first one only, read by nobody, stays next to its source.
    successors["a"].append("z")
    successors["z"] = []
    pos = lay_out_layered([*piece, "z"], successors, {v: (60.0, 30.0) for v in [*piece, "z"]})
    assert pos["z"][0] == pos["b"][0]


def test_a_chain_from_a_constant_sits_next_to_the_variable_it_feeds() -> None:
    # a -> b -> c -> d -> e -> f, and a chain k1 -> k2 -> f: k2 goes on e's level and k1 on
    # d's (moving k2 alone changes no link's length; the chain moves with it).
    from cld_editor.layout.layered import _levels

    edges = [*itertools.pairwise("abcdef"), ("k1", "k2"), ("k2", "f")]
    order = [*"abcdef", "k1", "k2"]
    level = _levels(order, edges)
    assert (level["k1"], level["k2"], level["f"]) == (level["d"], level["e"], 5)
    # What also feeds another keeps its place (the chain does not follow it): k2 feeding c
    # stays before c, with k1 before it.
    level = _levels(order, [*edges, ("k2", "c")])
    assert (level["k1"], level["k2"]) == (0, 1)


def test_a_link_back_hugs_the_levels_it_spans() -> None:
    """A chain a -> ... -> e with a link back e -> a: the levels stand in one row (too short
    to fold, see layout/layered_wrap.py), and the link back takes the smallest bow that clears
    them (just over or under the row), not a wide arc."""
    from cld_editor.core.model import Diagram
    from cld_editor.layout import metrics, plan
    from cld_editor.layout.boxes import diagram_sizes

    names = "abcde"
    links = [(u, v) for u, v in itertools.pairwise(names)] + [("e", "a")]
    diagram = Diagram.model_validate(
        {
            "variables": [{"id": k, "label": f"Variable {k}"} for k in names],
            "links": [{"id": u + v, "source": u, "target": v} for u, v in links],
        }
    )
    layout = plan(diagram, "layered")
    sizes = diagram_sizes(diagram)
    pos = layout.positions
    bends = {link.id: 0.0 for link in diagram.links} | layout.curvatures
    assert metrics.links_over_variables(diagram, pos, sizes, bends) == 0
    tallest = max(h for _, h in sizes.values())
    ys = [y for _, y in pos.values()]
    assert max(ys) - min(ys) <= tallest  # about one row
    chord = abs(pos["e"][0] - pos["a"][0])
    sagitta = abs(bends["ea"]) * chord
    # Clear of the row's boxes, within a bow step (0.05 x chord) of the smallest that is.
    assert sagitta <= max(ys) - min(ys) + tallest + 0.05 * chord, (sagitta, chord)
