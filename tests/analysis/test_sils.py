"""The shortest independent loop set: each loop adds a link, every link on a loop is covered,
the loops are linearly independent, and there are exactly as many as the cyclomatic number."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import pytest
from hypothesis import given, settings

from cld_editor.analysis.budget import Budget
from cld_editor.analysis.loops import find_loops
from cld_editor.analysis.sils import cyclomatic_number, independent_loops
from tests.analysis.test_find_loops import make_diagram, small_diagrams
from tests.analysis.test_loop_budget import complete_digraph


def networkx_cyclomatic(diagram) -> int:
    graph = nx.DiGraph([(link.source, link.target) for link in diagram.links])
    graph.add_nodes_from(v.id for v in diagram.variables)
    total = 0
    for part in nx.strongly_connected_components(graph):
        links = graph.subgraph(part).number_of_edges()
        if links:
            total += links - len(part) + 1
    return total


@settings(max_examples=150, deadline=None)
@given(diagram=small_diagrams(max_variables=8, out_degree=3))
def test_independent_set_properties(diagram) -> None:
    every = find_loops(diagram, Budget.no_limits()).loops
    chosen = list(independent_loops(diagram))
    # Shortest first, each with a link no earlier loop has.
    covered: set[str] = set()
    for loop in chosen:
        assert set(loop.links) - covered
        covered |= set(loop.links)
    # Every link that lies on any loop is covered.
    assert covered == {link for loop in every for link in loop.links}
    # Only real loops, and a loop is taken only if no shorter loop has its new link.
    keys = {loop.key: loop for loop in every}
    for loop in chosen:
        assert loop.key in keys and keys[loop.key].polarity == loop.polarity
    assert cyclomatic_number(diagram) == networkx_cyclomatic(diagram)
    assert len(chosen) == cyclomatic_number(diagram)
    assert rank([loop.links for loop in chosen]) == len(chosen)
    # The same set every time.
    assert [loop.key for loop in independent_loops(diagram)] == [loop.key for loop in chosen]


def rank(loops) -> int:
    """The rank over the rationals of the loops' link incidence vectors (Gaussian elimination)."""
    columns = sorted({link for links in loops for link in links})
    rows = [[Fraction(int(c in set(links))) for c in columns] for links in loops]
    found = 0
    for col in range(len(columns)):
        pivot = next((r for r in range(found, len(rows)) if rows[r][col]), None)
        if pivot is None:
            continue
        rows[found], rows[pivot] = rows[pivot], rows[found]
        for r in range(len(rows)):
            if r != found and rows[r][col]:
                factor = rows[r][col] / rows[found][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[found], strict=True)]
        found += 1
    return found


def test_size_is_the_cyclomatic_number_on_a_ring_with_chords() -> None:
    # A ring of 5 with chords 0->2 and 2->4: loops 0-2-3-4 (with 2->4: 0-2-4), 0-1-2-..., so
    # each loop taken shortest first brings one new link: 7 links - 5 variables + 1 = 3 loops.
    ids = [f"v{i}" for i in range(5)]
    links = [(ids[i], ids[(i + 1) % 5], "+", False) for i in range(5)]
    links += [(ids[0], ids[2], "-", False), (ids[2], ids[4], "+", False)]
    diagram = make_diagram([(v, None) for v in ids], links)
    chosen = independent_loops(diagram)
    assert [loop.variables for loop in chosen] == [
        ("v0", "v2", "v4"),
        ("v0", "v1", "v2", "v4"),
        ("v0", "v2", "v3", "v4"),
    ]
    assert len(chosen) == cyclomatic_number(diagram) == 3


def test_two_way_links_reach_the_cyclomatic_number() -> None:
    # Three variables linked both ways: taking the three 2-link loops would cover all six links
    # with 3 loops, below the cyclomatic number 6 - 3 + 1 = 4. The third 2-link loop would add
    # two independent cycles at once, so the set takes a 3-link loop through one of its links
    # first and that 2-link loop last: each loop still brings a new link.
    diagram = complete_digraph(3)
    chosen = list(independent_loops(diagram))
    assert [loop.length for loop in chosen] == [2, 2, 3, 2]
    assert len(chosen) == cyclomatic_number(diagram) == 4
    assert rank([loop.links for loop in chosen]) == 4


def test_complete_digraphs_reach_the_cyclomatic_number() -> None:
    for n in range(2, 9):
        diagram = complete_digraph(n)
        chosen = list(independent_loops(diagram))
        assert len(chosen) == cyclomatic_number(diagram) == n * (n - 1) - n + 1
        assert rank([loop.links for loop in chosen]) == len(chosen)
        assert min(loop.length for loop in chosen) == 2


def test_names_follow_the_listing_scheme() -> None:
    chosen = independent_loops(complete_digraph(5))
    assert [loop.name for loop in chosen][:3] == ["R1", "R2", "R3"] or chosen[0].name[1:] == "1"
    assert len({loop.name for loop in chosen}) == len(chosen)


@pytest.mark.parametrize("arrays_from", [0, 1 << 30], ids=["numpy", "loop-by-loop"])
def test_listed_names_from_a_table_in_lists_are_the_loops_own(monkeypatch, arrays_from) -> None:
    """The set's names are looked up in the listing's table (kept in lists by the CPython
    search): in numpy for a long listing, loop by loop for a short one; the same names either
    way, none for a loop the listing does not hold."""
    from cld_editor.analysis import lookup
    from cld_editor.analysis.lookup import listed_names

    monkeypatch.setattr(lookup, "ARRAYS_FROM", arrays_from)

    diagram = complete_digraph(5)
    chosen = list(independent_loops(diagram))
    keys = frozenset(loop.key for loop in chosen)
    for budget in (Budget.no_limits(), Budget(max_loops=12)):
        loops = find_loops(diagram, budget, compiled=False).loops
        assert isinstance(loops.table.edges, list)
        expected = {loop.key: loop.name for loop in loops if loop.key in keys}
        assert listed_names(loops, keys) == expected
    assert len(expected) < len(keys)  # the capped listing lacks some of the set


def test_a_set_search_stopped_keeps_the_independent_loops_taken_so_far() -> None:
    """Stopped (a deadline passed, or cancelled), the search raises with the loops taken so
    far: each adds a link no loop before it has, and they are fewer than the whole set."""
    from cld_editor.analysis.sils import SetStopped

    diagram = complete_digraph(6)
    whole = list(independent_loops(diagram))
    for looks_allowed in (0, 3, 12):
        looks = iter(range(looks_allowed))
        with pytest.raises(SetStopped) as stopped:
            independent_loops(diagram, cancelled=lambda looks=looks: next(looks, None) is None)
        taken = list(stopped.value.loops)
        assert stopped.value.reason == "cancelled" and len(taken) < len(whole)
        covered: set[str] = set()
        for loop in taken:
            assert set(loop.links) - covered
            covered |= set(loop.links)
        assert rank([loop.links for loop in taken]) == len(taken)
    with pytest.raises(SetStopped) as late:
        independent_loops(diagram, deadline=0.0)  # long past
    assert late.value.reason == "time limit" and not list(late.value.loops)
