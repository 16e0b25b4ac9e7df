"""find_loops against a brute-force reference: the loops, their classification and names, and
the per-variable counts, on random small diagrams and on hand-made examples."""

from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.core.model import Diagram, Link, Variable

UNLIMITED = Budget(max_loops=None, max_length=None, time_limit=None, max_members=None)
ID_POOL = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m")


def make_diagram(
    variables: list[tuple[str, str | None]],
    links: list[tuple[str, str, str, bool]],
) -> Diagram:
    """A diagram from (id, domain) pairs and (source, target, polarity, delay) tuples; link ids
    are l1, l2, ... in the order given."""
    return Diagram(
        variables=[Variable(id=v, domain=domain, x=0.0, y=0.0) for v, domain in variables],
        links=[
            Link(id=f"l{k}", source=s, target=t, polarity=p, delay=d)
            for k, (s, t, p, d) in enumerate(links, start=1)
        ],
    )


@st.composite
def small_diagrams(draw: st.DrawFn, max_variables: int = 7, out_degree: float = 7) -> Diagram:
    """Up to ``max_variables`` variables whose document order differs from their ids' order,
    and up to ``out_degree`` times as many random signed links (self-links included) in a
    random order. The cap keeps larger diagrams from drawing millions of loops."""
    n = draw(st.integers(1, max_variables))
    ids = draw(st.permutations(ID_POOL[:max_variables]))[:n]
    domains = draw(st.lists(st.sampled_from([None, "CX", "EX"]), min_size=n, max_size=n))
    pairs = [(s, t) for s in ids for t in ids]
    n_links = draw(st.integers(0, min(len(pairs), int(n * out_degree))))
    chosen = draw(st.permutations(pairs))[:n_links]
    links = [(s, t, draw(st.sampled_from("++-?")), draw(st.booleans())) for s, t in chosen]
    return make_diagram(list(zip(ids, domains, strict=True)), links)


def brute_force_loops(diagram: Diagram, max_length: int | None = None) -> list[dict[str, object]]:
    """Every loop by trying every sequence of distinct variables that starts at its member
    first in document order, classified and named straight from the rules."""
    order = [v.id for v in diagram.variables]
    domain = {v.id: v.domain for v in diagram.variables}
    link_at = {(link.source, link.target): link for link in diagram.links}
    cycles = []
    for i, start in enumerate(order):
        later = order[i + 1 :]
        for k in range(len(later) + 1):
            for rest in itertools.permutations(later, k):
                members = (start, *rest)
                steps = list(zip(members, members[1:] + members[:1], strict=True))
                if all(step in link_at for step in steps):
                    cycles.append((members, [link_at[step] for step in steps]))
    if max_length is not None:
        cycles = [(m, links) for m, links in cycles if len(m) <= max_length]
    cycles.sort(key=lambda c: (len(c[0]), [order.index(m) for m in c[0]]))
    numbers: Counter[str] = Counter()
    expected = []
    for members, links in cycles:
        polarities = [link.polarity for link in links]
        if "?" in polarities:
            polarity = "undetermined"
        elif polarities.count("-") % 2:
            polarity = "balancing"
        else:
            polarity = "reinforcing"
        numbers[polarity] += 1
        expected.append(
            {
                "name": f"{polarity[0].upper()}{numbers[polarity]}",
                "polarity": polarity,
                "length": len(members),
                "variables": list(members),
                "links": [link.id for link in links],
                "delayed": any(link.delay for link in links),
                "domains": sorted({domain[m] for m in members} - {None}),
            }
        )
    return expected


def expected_through(diagram: Diagram, loops: list[dict[str, object]]) -> dict[str, int]:
    counts = Counter(m for loop in loops for m in loop["variables"])  # type: ignore[attr-defined]
    return {v.id: counts[v.id] for v in diagram.variables}


@settings(max_examples=150, deadline=None)
@given(small_diagrams())
def test_loops_equal_brute_force_enumeration(diagram: Diagram) -> None:
    analysis = find_loops(diagram, UNLIMITED)
    expected = brute_force_loops(diagram)
    assert [loop.to_json() for loop in analysis.loops] == expected
    assert analysis.complete and analysis.stopped_by is None
    assert analysis.loops_through == expected_through(diagram, expected)
    names = [loop.name for loop in analysis.loops]
    assert len(set(names)) == len(names)


@settings(max_examples=100, deadline=None)
@given(small_diagrams(), st.integers(1, 7))
def test_max_length_keeps_exactly_the_short_loops(diagram: Diagram, max_length: int) -> None:
    budget = Budget(max_loops=None, max_length=max_length, time_limit=None, max_members=None)
    analysis = find_loops(diagram, budget)
    expected = brute_force_loops(diagram, max_length)
    assert [loop.to_json() for loop in analysis.loops] == expected
    assert analysis.complete
    assert analysis.loops_through == expected_through(diagram, expected)


@settings(max_examples=100, deadline=None)
@given(small_diagrams(max_variables=12, out_degree=3), st.none() | st.integers(2, 8))
def test_same_loops_as_networkx_on_larger_diagrams(diagram: Diagram, max_length: int | None):
    graph = nx.DiGraph([(link.source, link.target) for link in diagram.links])
    order = {v.id: i for i, v in enumerate(diagram.variables)}
    expected = set()
    for cycle in nx.simple_cycles(graph, length_bound=max_length):
        start = min(range(len(cycle)), key=lambda i: order[cycle[i]])
        expected.add(tuple(cycle[start:] + cycle[:start]))
    budget = Budget(max_loops=None, max_length=max_length, time_limit=None, max_members=None)
    found = [loop.variables for loop in find_loops(diagram, budget).loops]
    assert len(found) == len(expected)
    assert set(found) == expected


@settings(max_examples=30, deadline=None)
@given(small_diagrams())
def test_same_diagram_always_gives_the_same_names(diagram: Diagram) -> None:
    first = find_loops(diagram, UNLIMITED)
    again = find_loops(diagram.model_copy(deep=True), UNLIMITED)
    assert first.loops == again.loops


def test_self_link_is_a_loop_of_length_one() -> None:
    diagram = make_diagram([("a", "CX")], [("a", "a", "-", True)])
    (loop,) = find_loops(diagram).loops
    assert (loop.name, loop.polarity, loop.length) == ("B1", "balancing", 1)
    assert loop.variables == ("a",) and loop.links == ("l1",)
    assert loop.delayed and loop.domains == ("CX",)


def test_two_variable_loop_runs_both_links_in_order() -> None:
    diagram = make_diagram(
        [("a", "CX"), ("b", "EX")], [("b", "a", "-", False), ("a", "b", "-", False)]
    )
    (loop,) = find_loops(diagram).loops
    assert loop.variables == ("a", "b")
    assert loop.links == ("l2", "l1")
    assert (loop.name, loop.polarity, loop.delayed) == ("R1", "reinforcing", False)
    assert loop.domains == ("CX", "EX")


def test_names_follow_length_then_document_order_not_ids() -> None:
    # Document order z, y, x: loops start at z or y even though x sorts first.
    diagram = make_diagram(
        [("z", None), ("y", None), ("x", None)],
        [
            ("x", "z", "+", False),
            ("z", "x", "+", False),
            ("y", "x", "+", False),
            ("x", "y", "+", False),
            ("z", "y", "-", False),
            ("y", "z", "+", False),
        ],
    )
    analysis = find_loops(diagram)
    summary = [(loop.name, loop.variables) for loop in analysis.loops]
    assert summary == [
        ("B1", ("z", "y")),
        ("R1", ("z", "x")),
        ("R2", ("y", "x")),
        ("B2", ("z", "y", "x")),
        ("R3", ("z", "x", "y")),
    ]
    assert analysis.loops_through == {"z": 4, "y": 4, "x": 4}
    assert analysis.summary_text() == "5 loops: 3 reinforcing, 2 balancing"


def test_any_undetermined_link_makes_the_loop_undetermined() -> None:
    diagram = make_diagram(
        [("a", None), ("b", None)], [("a", "b", "?", False), ("b", "a", "-", False)]
    )
    (loop,) = find_loops(diagram).loops
    assert (loop.name, loop.polarity) == ("U1", "undetermined")


def test_diagram_without_loops() -> None:
    diagram = make_diagram([("a", None), ("b", None)], [("a", "b", "+", False)])
    analysis = find_loops(diagram)
    assert analysis.loops == [] and analysis.complete
    assert analysis.loops_through == {"a": 0, "b": 0}
    assert analysis.summary_text() == "0 loops"
    assert find_loops(Diagram()).loops == []
