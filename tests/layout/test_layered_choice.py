"""The Layered style's search (layout/layered_order.py, layered_choice.py, layered_sketch.py,
layered_wrap.py): crossing reduction never ends worse than it starts, pinned points keep to
their side, the links chosen to reverse leave no cycle, the quick count of a drawing agrees
with a plain segment test, the chosen layout crosses no more links than its mirror image or the
plain layout, the examples come out without crossings, and a long loop is folded into rows."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import networkx as nx
import pytest

from cld_editor.core.model import Diagram
from cld_editor.formats.native import load_diagram
from cld_editor.layout import metrics, plan
from cld_editor.layout.boxes import diagram_sizes
from cld_editor.layout.layered import _graph, lay_out_layered
from cld_editor.layout.layered_breaks import back_links as _back_links
from cld_editor.layout.layered_breaks import greedy_back_links as _greedy_back_links
from cld_editor.layout.layered_choice import drawn_crossings
from cld_editor.layout.layered_order import Levels, order_levels
from cld_editor.layout.layered_sketch import sketch_crossings
from cld_editor.layout.layered_wrap import FOLD_ABOVE, aspect, too_long

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def random_graph(n: int, extra: int, seed: int) -> tuple[list[str], dict[str, list[str]]]:
    """A connected graph on n variables with ``extra`` more links, cycles included."""
    rng = random.Random(seed)
    piece = [f"v{i}" for i in range(n)]
    succ: dict[str, list[str]] = {v: [] for v in piece}
    for i in range(1, n):
        j = rng.randrange(i)
        a, b = (piece[i], piece[j]) if rng.random() < 0.5 else (piece[j], piece[i])
        succ[a].append(b)
    for _ in range(extra):
        a, b = rng.sample(piece, 2)
        if b not in succ[a]:
            succ[a].append(b)
    return piece, succ


def as_diagram(piece: list[str], succ: dict[str, list[str]]) -> Diagram:
    return Diagram.model_validate(
        {
            "variables": [{"id": v, "label": f"Variable {v}"} for v in piece],
            "links": [{"source": u, "target": w} for u in piece for w in succ[u]],
        }
    )


@pytest.mark.parametrize("seed", range(8))
def test_ordering_never_ends_with_more_crossings_than_it_starts(seed: int) -> None:
    piece, succ = random_graph(25 + 5 * seed, 20, seed)
    graph = _graph(piece, succ, _back_links(piece, succ))
    levels = Levels(graph.names, graph.layer_of, graph.down)
    before = levels.total()
    left = order_levels(levels)
    assert left == levels.total() <= before
    # Every level still holds the same points.
    again = Levels(graph.names, graph.layer_of, graph.down)
    assert [sorted(a.tolist()) for a in levels.layers] == [sorted(b.tolist()) for b in again.layers]


@pytest.mark.parametrize("seed", range(4))
def test_pinned_points_keep_to_their_end_of_the_level(seed: int) -> None:
    piece, succ = random_graph(30, 25, seed)
    graph = _graph(piece, succ, _back_links(piece, succ))
    assert graph.back_dummies
    rng = random.Random(seed)
    pin = {d: rng.choice((-1, 1)) for chain in graph.back_dummies.values() for d in chain}
    levels = Levels(graph.names, graph.layer_of, graph.down, pin)
    order_levels(levels)
    for layer in levels.layers:
        sides = [pin.get(graph.names[k], 0) for k in layer.tolist()]
        assert sides == sorted(sides)  # top-pinned first, free, bottom-pinned last


@pytest.mark.parametrize("seed", range(10))
def test_reversing_the_chosen_links_leaves_no_cycle(seed: int) -> None:
    piece, succ = random_graph(20, 30, seed)
    for back in (_back_links(piece, succ), _greedy_back_links(piece, succ)):
        graph = nx.DiGraph()
        graph.add_nodes_from(piece)
        graph.add_edges_from((w, u) if (u, w) in back else (u, w) for u in piece for w in succ[u])
        assert nx.is_directed_acyclic_graph(graph)


def test_the_greedy_search_reverses_few_links_on_a_ring_with_chords() -> None:
    # A ring of 8 with chords forward: reversing the one link that closes the ring suffices.
    piece = [f"v{i}" for i in range(8)]
    succ = {v: [piece[(i + 1) % 8]] for i, v in enumerate(piece)}
    succ["v0"].append("v3")
    succ["v2"].append("v6")
    assert len(_greedy_back_links(piece, succ)) == 1


@pytest.mark.parametrize("seed", range(6))
def test_the_quick_count_agrees_with_a_plain_segment_test_on_straight_links(seed: int) -> None:
    rng = random.Random(seed)
    names = [f"n{i}" for i in range(14)]
    pos = {v: (rng.uniform(0, 600), rng.uniform(0, 600)) for v in names}
    sizes = {v: (1.0, 1.0) for v in names}
    links = list(dict.fromkeys(tuple(rng.sample(names, 2)) for _ in range(20)))

    def cross(p, q, r, s) -> bool:
        def side(a, b, c):
            return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

        return side(p, q, r) * side(p, q, s) < 0 and side(r, s, p) * side(r, s, q) < 0

    expected = sum(
        1
        for (a, b), (c, d) in itertools.combinations(links, 2)
        if len({a, b, c, d}) == 4 and cross(pos[a], pos[b], pos[c], pos[d])
    )
    assert sketch_crossings(links, pos, sizes, [0.0] * len(links)) == expected


def examples() -> list[str]:
    return [e["file"] for e in json.loads((EXAMPLES / "index.json").read_text())]


@pytest.mark.parametrize("name", examples())
def test_the_examples_are_drawn_without_crossings(name: str) -> None:
    """Every example and archetype can be drawn without crossings (their hand-made drawings
    are); Layered finds such a drawing, with no link over a variable and no overlap."""
    diagram = load_diagram(EXAMPLES / name)
    sizes = diagram_sizes(diagram)
    layout = plan(diagram, "layered")
    bends = {link.id: link.curvature for link in diagram.links} | layout.curvatures
    assert metrics.crossings(diagram, layout.positions, sizes, bends) == 0
    assert metrics.links_over_variables(diagram, layout.positions, sizes, bends) == 0
    assert metrics.overlaps(layout.positions, sizes) == 0
    assert plan(diagram, "layered") == layout  # same input, same layout


@pytest.mark.parametrize("seed", range(5))
def test_the_layout_chosen_crosses_no_more_than_its_mirror_or_the_plain_one(seed: int) -> None:
    """Links back bow on the side where they cross fewer links: the layout kept crosses no
    more links, as drawn, than its mirror image top to bottom (where every link back would bow
    on the other side first) nor than the plain layout of the first search, unless that is a
    strip too long to read (then the layout kept is not)."""
    piece, succ = random_graph(14, 8, 100 + seed)
    sizes = diagram_sizes(as_diagram(piece, succ))
    pos = lay_out_layered(piece, succ, sizes)
    count = drawn_crossings(piece, succ, sizes, pos)
    mirrored = {v: (x, -y) for v, (x, y) in pos.items()}
    assert count <= drawn_crossings(piece, succ, sizes, mirrored)
    import cld_editor.layout.layered as layered

    first = layered._ordered(layered._graph(piece, succ, _back_links(piece, succ)))
    graph = layered._graph(piece, succ, _back_links(piece, succ))
    plain = layered._coordinates(first, sizes, graph.up, graph.down)
    if too_long(plain, sizes):
        assert not too_long(pos, sizes)
    else:
        assert count <= drawn_crossings(piece, succ, sizes, plain)
    assert lay_out_layered(piece, succ, sizes) == pos


def test_a_long_loop_is_folded_into_rows() -> None:
    """One loop of 14 variables would be a strip 14 columns long: it comes out folded, as
    a snake whose rows close the loop, with no crossing and no link over a variable."""
    names = [f"Stage {i}" for i in range(14)]
    diagram = Diagram.model_validate(
        {
            "variables": [{"id": f"s{i}", "label": n} for i, n in enumerate(names)],
            "links": [{"source": f"s{i}", "target": f"s{(i + 1) % 14}"} for i in range(14)],
        }
    )
    sizes = diagram_sizes(diagram)
    layout = plan(diagram, "layered")
    assert aspect(layout.positions, sizes) <= FOLD_ABOVE
    bends = {link.id: 0.0 for link in diagram.links} | layout.curvatures
    assert metrics.crossings(diagram, layout.positions, sizes, bends) == 0
    assert metrics.links_over_variables(diagram, layout.positions, sizes, bends) == 0


def test_a_long_strip_is_folded_even_when_folding_costs_crossings() -> None:
    """Two competing technologies, each a chain from demand to cost, their costs setting one
    market price: laid out as levels, a strip 26 times as wide as tall, too long for a window
    to show whole at the zoom where labels are drawn. It comes out folded into a shape a
    window shows whole with its labels, boxes and link bows alike."""
    from cld_editor.layout.layered_wrap import LABELS_FROM, MAX_ASPECT, VIEW
    from cld_editor.layout.links import arc_points

    a = ["Share", "Demand A", "Output A", "Capacity A", "Investment A", "Know-how A", "Cost A"]
    b = ["Demand B", "Output B", "Capacity B", "Investment B", "Know-how B", "Cost B"]
    market = ["Market price", "Total demand"]
    links = [
        *itertools.pairwise(a),
        *itertools.pairwise(b),
        ("Cost A", "Market price"),
        ("Cost B", "Market price"),
        ("Market price", "Total demand"),
        ("Total demand", "Demand A"),
        ("Total demand", "Demand B"),
        ("Cost B", "Share"),
        ("Share", "Demand B"),
        ("Output A", "Cost A"),
        ("Cost A", "Share"),
        ("Output B", "Cost B"),
    ]
    diagram = Diagram.model_validate(
        {
            "variables": [{"id": n, "label": n} for n in a + b + market],
            "links": [{"source": u, "target": w} for u, w in links],
        }
    )
    sizes = diagram_sizes(diagram)
    layout = plan(diagram, "layered")
    pos = layout.positions
    assert not too_long(pos, sizes)
    assert aspect(pos, sizes) <= MAX_ASPECT
    bends = {link.id: 0.0 for link in diagram.links} | layout.curvatures
    points = [
        arc_points(pos[link.source], pos[link.target], bends[link.id]) for link in diagram.links
    ]
    points += [
        [(x - sizes[v][0] / 2, y - sizes[v][1] / 2), (x + sizes[v][0] / 2, y + sizes[v][1] / 2)]
        for v, (x, y) in pos.items()
    ]
    xs = [p[0] for line in points for p in line]
    ys = [p[1] for line in points for p in line]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert min(VIEW[0] / width, VIEW[1] / height) >= LABELS_FROM
    assert metrics.links_over_variables(diagram, pos, sizes, bends) == 0
    assert metrics.overlaps(pos, sizes) == 0


def test_a_short_chain_stays_one_row() -> None:
    piece = ["a", "b", "c", "d"]
    succ = {"a": ["b"], "b": ["c"], "c": ["d"], "d": []}
    sizes = {v: (80.0, 30.0) for v in piece}
    pos = lay_out_layered(piece, succ, sizes)
    assert [pos[v][0] for v in piece] == sorted(pos[v][0] for v in piece)
    assert len({pos[v][0] for v in piece}) == 4


@pytest.mark.parametrize("seed", range(8))
def test_shortening_keeps_links_rightwards_and_never_lengthens_them(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cld_editor.layout.layered as layered

    piece, succ = random_graph(40, 30, 200 + seed)
    back = _back_links(piece, succ)
    edges = list(
        dict.fromkeys((w, u) if (u, w) in back else (u, w) for u in piece for w in succ[u])
    )
    shortened = layered._levels(piece, edges)
    monkeypatch.setattr(layered, "BALANCE_PASSES", 0)
    longest = layered._levels(piece, edges)
    assert all(shortened[v] > shortened[u] for u, v in edges)
    assert min(shortened.values()) == 0
    span = sum(shortened[v] - shortened[u] for u, v in edges)
    assert span <= sum(longest[v] - longest[u] for u, v in edges)


@pytest.mark.parametrize("rows", [2, 3])
@pytest.mark.parametrize("snake", [True, False])
def test_a_folded_strip_keeps_its_columns_whole_and_its_boxes_apart(rows: int, snake: bool) -> None:
    from cld_editor.layout.boxes import overlapping_pairs, rects
    from cld_editor.layout.layered_wrap import folded

    rng = random.Random(rows)
    pos, sizes = {}, {}
    for c in range(9):  # nine columns of one to three boxes, 200 units apart
        for k in range(rng.randint(1, 3)):
            v = f"c{c}k{k}"
            pos[v], sizes[v] = (200.0 * c, 60.0 * k), (rng.uniform(60, 150), 30.0)
    for flips in range(1 << rows):
        out = folded(pos, sizes, rows, snake, flips)
        assert out is not None and set(out) == set(pos)
        assert not overlapping_pairs(rects(out, sizes), -1e-6)
        columns = {c: {out[v][0] for v in pos if v.startswith(f"c{c}k")} for c in range(9)}
        assert all(len(xs) == 1 for xs in columns.values())  # a column stays one column
        # Rows stand apart (a column starting below the previous one's end begins a row), and
        # columns keep their order along each row: left to right, or right to left on the odd
        # rows of a snake.
        span = {
            c: (
                min(out[v][1] for v in pos if v.startswith(f"c{c}k")),
                max(out[v][1] for v in pos if v.startswith(f"c{c}k")),
            )
            for c in range(9)
        }
        row_of = [0]
        for c in range(1, 9):
            row_of.append(row_of[-1] + (span[c][0] > span[c - 1][1] + 30))
        assert row_of[-1] == rows - 1
        for r in range(rows):
            run = [next(iter(columns[c])) for c in range(9) if row_of[c] == r]
            assert run == sorted(run, reverse=snake and r % 2 == 1)
