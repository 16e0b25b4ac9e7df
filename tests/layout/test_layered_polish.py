"""The last step of the Layered style (layout/layered_polish.py, layered_bows.py): bows turned
over and variables moved within the levels never leave a drawing crossing more links, nor with
an overlap or more links over variables; links keep their direction; the result is fixed; a link
and its link back keep apart; and the corpus files the step was made for meet the crossing goal
(skipped when ../shared/corpus is absent)."""

from __future__ import annotations

import importlib
import random
from pathlib import Path

import numpy as np
import pytest
from real_diagrams import CORPUS, read_any, without_positions

from cld_editor.core.model import Diagram
from cld_editor.layout import metrics, plan
from cld_editor.layout.boxes import diagram_sizes
from cld_editor.layout.drawn_links import arcs, crossing_counts
from cld_editor.layout.layered_bows import BOWS, _bowed, _crossed, turn_bows
from cld_editor.layout.layered_polish import SAME_COLUMN, polish

plan_module = importlib.import_module("cld_editor.layout.plan")


def random_diagram(n: int, extra: int, seed: int) -> Diagram:
    """A connected diagram of ``n`` variables with ``extra`` more links, some of them pairs
    of links both ways."""
    rng = random.Random(seed)
    names = [f"v{i}" for i in range(n)]
    pairs: list[tuple[str, str]] = []
    for i in range(1, n):
        j = rng.randrange(i)
        pairs.append((names[i], names[j]) if rng.random() < 0.5 else (names[j], names[i]))
    for _ in range(extra):
        a, b = rng.sample(names, 2)
        pairs.append((a, b))
        if rng.random() < 0.2:
            pairs.append((b, a))
    pairs = list(dict.fromkeys(pairs))
    return Diagram.model_validate(
        {
            "variables": [
                {"id": v, "label": f"Variable {v} {'x' * (i % 4)}"} for i, v in enumerate(names)
            ],
            "links": [{"id": f"l{k}", "source": a, "target": b} for k, (a, b) in enumerate(pairs)],
        }
    )


def unpolished(diagram: Diagram, monkeypatch: pytest.MonkeyPatch):
    """The Layered layout as it is before the polish, with every link's bend."""
    with monkeypatch.context() as m:
        m.setattr(plan_module, "polish_layered", lambda d, p, b, s, members: (p, b))
        layout = plan(diagram, "layered")
    bends = {link.id: link.curvature for link in diagram.links} | layout.curvatures
    return dict(layout.positions), bends


def measure(diagram: Diagram, pos, bends) -> tuple[int, int, int]:
    sizes = diagram_sizes(diagram)
    return (
        metrics.overlaps(pos, sizes),
        metrics.links_over_variables(diagram, pos, sizes, bends),
        metrics.crossings(diagram, pos, sizes, bends),
    )


@pytest.mark.parametrize("seed", range(12))
def test_the_polish_never_leaves_a_worse_drawing(seed: int, monkeypatch) -> None:
    # Seeds 10 and 11: above MOVES_UP_TO variables, where only bows are turned.
    n = 8 + seed % 5 * 4 if seed < 10 else 45 + 10 * (seed - 10)
    diagram = random_diagram(n, 6 + seed, seed)
    sizes = diagram_sizes(diagram)
    pos, bends = unpolished(diagram, monkeypatch)
    before = measure(diagram, pos, bends)
    members = [v.id for v in diagram.variables]
    new_pos, new_bends = polish(diagram, dict(pos), dict(bends), sizes, members)
    after = measure(diagram, new_pos, new_bends)
    assert after[0] == 0 and after[1] <= before[1] and after[2] <= before[2]
    if (new_pos, new_bends) != (pos, bends):
        assert after[2] < before[2]  # a change takes out crossings
    # Every link keeps its direction: one running rightwards still does, a link back still
    # runs back.
    for link in diagram.links:
        was = pos[link.target][0] - pos[link.source][0]
        now = new_pos[link.target][0] - new_pos[link.source][0]
        if abs(was) > SAME_COLUMN:
            assert abs(now) > SAME_COLUMN and (was > 0) == (now > 0)
    # Same input, same output.
    assert polish(diagram, dict(pos), dict(bends), sizes, members) == (new_pos, new_bends)


@pytest.mark.parametrize("seed", range(6))
def test_turned_bows_cross_no_more_pass_no_variable_and_keep_pairs_apart(
    seed: int, monkeypatch
) -> None:
    diagram = random_diagram(10 + 2 * seed, 8, 50 + seed)
    sizes = diagram_sizes(diagram)
    pos, bends = unpolished(diagram, monkeypatch)
    turned = turn_bows(diagram, pos, sizes, bends)
    before, after = measure(diagram, pos, bends), measure(diagram, pos, turned)
    # Each turn takes out crossings of the turned link as its crossings are counted here
    # (polylines of a dozen pieces); the finer count of the benchmark may differ by a few.
    assert after[2] <= before[2] + 2
    assert after[1] <= before[1]
    ends = {(link.source, link.target): link.id for link in diagram.links}
    for (a, b), k in ends.items():
        back = ends.get((b, a))
        if back is not None and turned[k] != bends[k]:
            assert abs(turned[k]) >= 0.08 and abs(turned[k] + turned[back]) >= 0.2
    assert turn_bows(diagram, pos, sizes, bends) == turned


def test_the_bows_are_drawn_and_counted_as_the_drawing_draws_arcs() -> None:
    p, q = (10.0, 20.0), (300.0, -50.0)
    expected = np.concatenate([arcs(np.array([p]), np.array(q), c, True) for c in BOWS])
    assert np.allclose(_bowed(p, q, BOWS), expected)
    rng = np.random.default_rng(0)
    for _ in range(20):
        p, q = tuple(rng.uniform(0, 500, 2)), tuple(rng.uniform(0, 500, 2))
        lines = _bowed(p, q, BOWS)
        others = np.stack(
            [
                _bowed(tuple(rng.uniform(0, 500, 2)), tuple(rng.uniform(0, 500, 2)), [c])[0]
                for c in rng.uniform(-0.5, 0.5, 25)
            ]
        )
        assert _crossed(lines, others).tolist() == crossing_counts(lines, others).tolist()


def test_a_link_and_its_link_back_through_a_column_bow_round_it() -> None:
    """a -> b and b -> a, with a box between them on their chord, each bowing round it, and a chain
    d -> c -> m crossing where one of the pair bows: the pair ends up crossing nothing."""
    diagram = Diagram.model_validate(
        {
            "variables": [
                {"id": "a", "label": "A", "x": 0, "y": 0},
                {"id": "b", "label": "B", "x": 0, "y": 400},
                {"id": "m", "label": "Middle", "x": 0, "y": 200},
                {"id": "c", "label": "C", "x": -320, "y": 200},
                {"id": "d", "label": "D", "x": -520, "y": 200},
            ],
            "links": [
                {"id": "ab", "source": "a", "target": "b"},
                {"id": "ba", "source": "b", "target": "a"},
                {"id": "dc", "source": "d", "target": "c"},
                {"id": "cm", "source": "c", "target": "m"},
            ],
        }
    )
    sizes = diagram_sizes(diagram)
    pos = {v.id: (v.x, v.y) for v in diagram.variables}
    bends = {"ab": 0.45, "ba": 0.45, "dc": 0.0, "cm": 0.0}  # one bow on each side of m
    assert measure(diagram, pos, bends)[2] == 1
    turned = turn_bows(diagram, pos, sizes, bends)
    assert measure(diagram, pos, turned) == (0, 0, 0)


# The corpus files the polish was made for, with the goal each meets: no more crossings than
# the hand-made drawing and than spring_layout (benchmarks/bench_layout.py): SIR's hand-made
# drawing crosses 1 link and spring_layout 0; energy_tech's hand-made drawing crosses none.
# The Stella model's hand-made drawing crosses 70 (spring_layout 22, with 107 boxes
# overlapping); Layered crosses 21 with the box sizes Qt measures (as the benchmark does) and
# 24 with the estimated sizes used here.
GOALS = {
    "vensim/SIR.mdl": 0,
    "vensim/energy_tech_cld.mdl": 0,
    "xmile/GeneratedByAIThenEdited.stmx": 70,
}


@pytest.mark.parametrize("name", sorted(GOALS))
def test_layered_meets_the_crossing_goal_on_the_corpus_files(name: str) -> None:
    path = Path(CORPUS) / name
    if not path.is_file():
        pytest.skip("../shared/corpus is absent")
    diagram = without_positions(read_any(path))
    sizes = diagram_sizes(diagram)
    layout = plan(diagram, "layered")
    bends = {link.id: 0.0 for link in diagram.links} | layout.curvatures
    assert metrics.overlaps(layout.positions, sizes) == 0
    assert metrics.links_over_variables(diagram, layout.positions, sizes, bends) == 0
    assert metrics.crossings(diagram, layout.positions, sizes, bends) <= GOALS[name]
    assert plan(diagram, "layered") == layout
