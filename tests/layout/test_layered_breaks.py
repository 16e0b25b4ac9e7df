"""The choices of links to reverse in the Layered style (layout/layered_breaks.py) and the search
among them for pieces of more than CHOOSE_UP_TO variables (layered.py, layered_choice.py): every
choice leaves no cycle, the choices differ and come in a fixed order starting with the search in
document order, and the piece's layout is the candidate whose drawing crosses fewest links."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from cld_editor.core.model import Diagram
from cld_editor.layout import layered
from cld_editor.layout.boxes import diagram_sizes
from cld_editor.layout.layered import BREAKS, CHOOSE_UP_TO, lay_out_layered
from cld_editor.layout.layered_breaks import back_links, break_choices
from cld_editor.layout.layered_choice import (
    BACK_BOW,
    BIG_TURNED,
    SPREAD,
    _drawn_area,
    _piece_diagram,
    fewest_turned,
    tight_bends,
    turned_crossings,
)
from cld_editor.layout.links import link_curvatures


def loop_rich(n: int, seed: int) -> tuple[list[str], dict[str, list[str]]]:
    """A connected graph on ``n`` variables: loops of 2 to 6 hung off each other, plus links
    between nearby variables (as benchmarks/bench_layout.py's loop-rich diagrams)."""
    rng = random.Random(seed)
    piece = [f"v{i}" for i in range(n)]
    succ: dict[str, list[str]] = {v: [] for v in piece}
    made = 1
    while made < n:
        k = min(rng.randint(2, 6), n - made + 1)
        ring = [rng.randrange(made), *range(made, made + k - 1)]
        made += k - 1
        for i, a in enumerate(ring):
            b = ring[(i + 1) % len(ring)]
            if piece[b] not in succ[piece[a]]:
                succ[piece[a]].append(piece[b])
    for _ in range(n // 2):
        a = rng.randrange(n)
        b = min(n - 1, max(0, a + rng.randint(-8, 8)))
        if a != b and piece[b] not in succ[piece[a]]:
            succ[piece[a]].append(piece[b])
    return piece, succ


def sizes_of(piece: list[str]) -> dict[str, tuple[float, float]]:
    diagram = Diagram.model_validate(
        {"variables": [{"id": v, "label": f"Variable {v}"} for v in piece], "links": []}
    )
    return diagram_sizes(diagram)


@pytest.mark.parametrize("seed", range(6))
def test_every_choice_leaves_no_cycle_and_the_choices_differ(seed: int) -> None:
    piece, succ = loop_rich(30 + 10 * seed, seed)
    choices = break_choices(piece, succ, BREAKS)
    assert 1 <= len(choices) <= BREAKS
    assert choices[0] == back_links(piece, succ)
    assert len({frozenset(c) for c in choices}) == len(choices)
    for back in choices:
        graph = nx.DiGraph()
        graph.add_nodes_from(piece)
        graph.add_edges_from((w, u) if (u, w) in back else (u, w) for u in piece for w in succ[u])
        assert nx.is_directed_acyclic_graph(graph)
    assert break_choices(piece, succ, BREAKS) == choices  # same input, same choices


def test_an_acyclic_piece_has_one_choice() -> None:
    piece = [f"v{i}" for i in range(12)]
    succ = {v: piece[i + 1 : i + 3] for i, v in enumerate(piece)}
    assert break_choices(piece, succ, BREAKS) == [set()]


@pytest.mark.parametrize("seed", range(3))
def test_the_turned_count_decides_among_candidates_drawn_no_bigger(seed: int) -> None:
    piece, succ = loop_rich(36 + 4 * seed, 3 + seed)
    sizes = sizes_of(piece)
    candidates = []
    for back in break_choices(piece, succ, BIG_TURNED):
        graph = layered._graph(piece, succ, back)
        layers = layered._ordered(graph)
        candidates.append(layered._coordinates(layers, sizes, graph.up, graph.down))
    chosen = fewest_turned(candidates, piece, succ, sizes)
    assert chosen in candidates
    # The first candidate (the plain layout) is always weighed: the chosen crosses no more.
    assert turned_crossings(piece, succ, sizes, chosen) <= turned_crossings(
        piece, succ, sizes, candidates[0]
    )

    def area(pos) -> float:
        _, tight = tight_bends(piece, succ, sizes, pos)
        return _drawn_area(piece, succ, sizes, pos, tight)

    # ... and is drawn no more than SPREAD times as big (its smallest bows, at least).
    assert area(chosen) <= SPREAD * max(
        area(candidates[0]),
        _drawn_area(
            piece,
            succ,
            sizes,
            candidates[0],
            link_curvatures(
                _piece_diagram(piece, succ, candidates[0]),
                candidates[0],
                sizes,
                back_bow=BACK_BOW,
                tight_back=False,
            ),
        ),
    )


@pytest.mark.parametrize("seed", range(3))
def test_a_mid_size_piece_is_laid_out_from_the_choices_and_fixed(seed: int) -> None:
    piece, succ = loop_rich(CHOOSE_UP_TO + 6 + 7 * seed, 10 + seed)
    sizes = sizes_of(piece)
    pos = lay_out_layered(piece, succ, sizes)
    assert set(pos) == set(piece)
    # The layout is one of the candidates made from the choices, as the search makes them.
    candidates = []
    for k, back in enumerate(break_choices(piece, succ, BREAKS)):
        graph = layered._graph(piece, succ, back)
        layers = layered._ordered(graph, starts=layered.OTHER_STARTS if k else None)
        candidates.append(layered._coordinates(layers, sizes, graph.up, graph.down))
    assert pos in candidates
    assert lay_out_layered(piece, succ, sizes) == pos
