"""The loop search kernel, compiled by numba and run by CPython, against the pure-Python
reference search (:mod:`cld_editor.analysis.cycles`) and networkx: the same loops with the same
classes, in the same order, and the same census counts, on random and adversarial graphs."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cld_editor.analysis import kernel
from cld_editor.analysis.cycles import CycleSearch, edge_code, field_width
from cld_editor.analysis.engine import KernelRun, compiled_kernel
from cld_editor.analysis.graph import LoopGraph

EXECUTORS = [False, pytest.param(True, id="compiled")]
Rows = list[tuple[int, int, int]]  # (source, target, flags)


def graph_of(n: int, rows: Rows, dom: list[int] | None = None) -> LoopGraph:
    ordered = sorted(set((s, t) for s, t, _ in rows))
    flags = {(s, t): f for s, t, f in rows}
    return LoopGraph.from_rows(
        [f"v{i}" for i in range(n)],
        dom or [0] * n,
        [(s, t, flags[s, t], f"l{s}-{t}", k) for k, (s, t) in enumerate(ordered)],
    )


def kernel_loops(graph: LoopGraph, compiled: bool, bound: int = 0) -> list[tuple]:
    """(members, class code) of every loop the kernel finds, in the order it finds them."""
    if compiled and compiled_kernel() is None:
        pytest.skip("numba is not installed")
    run = KernelRun(graph, bound=bound, max_loops=1 << 40, max_members=1 << 40, compiled=compiled)
    assert run.run() == "done"
    edges, starts, codes = run.output()
    return [
        (tuple(graph.src[e] for e in edges[starts[i] : starts[i + 1]]), int(codes[i]))
        for i in range(len(codes))
    ]


def reference_loops(graph: LoopGraph, bound: int = 0) -> list[tuple]:
    """The same through the pure-Python reference search, by length then document order."""
    width = field_width(graph.n)
    successors = [
        [
            (
                graph.tgt[r],
                edge_code(width, f & 1, f >> 1 & 1, f >> 2 & 1, graph.dom[graph.tgt[r]]),
                graph.link_ids[r],
                graph.ids[graph.tgt[r]],
            )
            for r in range(graph.head[v], graph.head[v + 1])
            for f in [graph.flags[r]]
        ]
        for v in range(graph.n)
    ]
    search = CycleSearch(successors, graph.ids, max_length=bound or None)
    search.run()
    index = {name: i for i, name in enumerate(graph.ids)}
    mask = (1 << width) - 1
    found = []
    for cycles in search.by_length:
        for members, _links, sums in cycles:
            kind = 2 if sums >> width & mask else sums & 1
            delayed = 1 if sums >> 2 * width & mask else 0
            cx, ex = bool(sums >> 3 * width & mask), bool(sums >> 4 * width)
            found.append(
                (tuple(index[m] for m in members), kind + 3 * delayed + 6 * (cx | ex << 1))
            )
    return found


def by_length(loops: list[tuple]) -> list[tuple]:
    return sorted(loops, key=lambda loop: len(loop[0]))  # stable: keeps document order


def networkx_loops(graph: LoopGraph, bound: int = 0) -> set[tuple[int, ...]]:
    g = nx.DiGraph()
    g.add_nodes_from(range(graph.n))
    g.add_edges_from(zip(graph.src, graph.tgt, strict=True))
    found = set()
    for cycle in nx.simple_cycles(g, length_bound=bound or None):
        turn = cycle.index(min(cycle))
        found.add(tuple(cycle[turn:] + cycle[:turn]))
    return found


@st.composite
def graphs(draw: st.DrawFn, max_nodes: int = 8) -> LoopGraph:
    n = draw(st.integers(1, max_nodes))
    pairs = [(s, t) for s in range(n) for t in range(n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=min(len(pairs), 3 * n)))
    rows = [(s, t, draw(st.sampled_from([0, 1, 2, 4, 5, 6]))) for s, t in chosen]
    dom = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    return graph_of(n, rows, dom)


@pytest.mark.parametrize("compiled", EXECUTORS)
@settings(max_examples=150, deadline=None)
@given(graph=graphs(), bound=st.integers(0, 5))
def test_kernel_equals_reference_and_networkx(compiled: bool, graph: LoopGraph, bound: int):
    found = kernel_loops(graph, compiled, bound)
    assert by_length(found) == reference_loops(graph, bound)
    assert {members for members, _ in found} == networkx_loops(graph, bound)
    assert len(found) == len(networkx_loops(graph, bound))


def complete(n: int, self_links: bool = False) -> Rows:
    return [(s, t, (s + t) % 3 == 0) for s in range(n) for t in range(n) if s != t or self_links]


ADVERSARIAL = {
    "self-links only": (5, [(v, v, v % 2) for v in range(5)]),
    "complete 6 with self-links": (6, complete(6, self_links=True)),
    "complete 7": (7, complete(7)),
    # Parallel structure: k independent paths between two hubs, both ways round.
    "parallel paths": (
        10,
        [(0, v, 0) for v in range(2, 6)]
        + [(v, 1, 1) for v in range(2, 6)]
        + [(1, v, 0) for v in range(6, 10)]
        + [(v, 0, 4) for v in range(6, 10)],
    ),
    # A ring with chords: long loops that a length bound cuts.
    "ring with chords": (
        12,
        [(v, (v + 1) % 12, 0) for v in range(12)] + [(v, (v + 5) % 12, 1) for v in range(0, 12, 3)],
    ),
    "two parts": (8, complete(4) + [(s + 4, t + 4, f) for s, t, f in complete(4)] + [(0, 4, 0)]),
}


@pytest.mark.parametrize("compiled", EXECUTORS)
@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_graphs(compiled: bool, name: str) -> None:
    n, rows = ADVERSARIAL[name]
    graph = graph_of(n, rows, [v % 3 for v in range(n)])
    for bound in (0, 1, 2, 3, 6):
        found = kernel_loops(graph, compiled, bound)
        assert by_length(found) == reference_loops(graph, bound)
        assert {members for members, _ in found} == networkx_loops(graph, bound)


@pytest.mark.parametrize("compiled", EXECUTORS)
def test_census_counts_equal_the_listing(compiled: bool) -> None:
    rng = random.Random(7)
    for _ in range(20):
        n = rng.randint(2, 9)
        rows = [
            (s, t, rng.choice([0, 1, 2, 4, 5]))
            for s, t in itertools.product(range(n), repeat=2)
            if rng.random() < 0.4
        ]
        graph = graph_of(n, rows, [rng.randint(0, 2) for _ in range(n)])
        listed = kernel_loops(graph, compiled)
        run = KernelRun(graph, store_length=0, count=True, compiled=compiled)
        assert run.run() == "done" and run.stored == 0
        counts = Counter()
        for members, code in listed:
            counts[len(members) * kernel.CLASSES + code] += 1
        assert [int(c) for c in run.a["counts"]] == [counts[i] for i in range(len(run.a["counts"]))]
        through = Counter(m for members, _ in listed for m in members)
        assert [int(c) for c in run.a["through"]] == [through[v] for v in range(n)]
        link_rows = {(graph.src[r], graph.tgt[r]): r for r in range(graph.m)}
        per_link = Counter(
            link_rows[pair]
            for members, _ in listed
            for pair in zip(members, members[1:] + members[:1], strict=True)
        )
        assert [int(c) for c in run.a["link_count"]] == [per_link[r] for r in range(graph.m)]


@pytest.mark.parametrize("compiled", EXECUTORS)
@pytest.mark.parametrize("bound", [0, 4])
def test_a_search_resumed_chunk_by_chunk_finds_the_same_loops(compiled: bool, bound: int) -> None:
    graph = graph_of(7, complete(7))
    whole = kernel_loops(graph, compiled, bound)
    run = KernelRun(graph, bound=bound, max_loops=1 << 40, max_members=1 << 40, compiled=compiled)
    run.steps = 1
    run._adapt_chunk = lambda elapsed: None  # keep the chunks tiny: one step each
    assert run.run() == "done"
    edges, starts, codes = run.output()
    assert [
        (tuple(graph.src[e] for e in edges[starts[i] : starts[i + 1]]), int(codes[i]))
        for i in range(len(codes))
    ] == whole


def test_full_output_buffers_stop_at_the_limit_and_keep_the_first_loops() -> None:
    graph = graph_of(6, complete(6))
    whole = kernel_loops(graph, False)
    run = KernelRun(graph, max_loops=100, max_members=10_000, compiled=False)
    assert run.run() == "full" and run.stored == 100
    edges, starts, _codes = run.output()
    assert [tuple(graph.src[e] for e in edges[starts[i] : starts[i + 1]]) for i in range(100)] == [
        m for m, _ in whole[:100]
    ]
