"""The Iceberg style (layout/iceberg.py): which band an untagged variable joins, the cut of a
whole-diagram drawing at the waterline, a diagram with one band drawn as Loops, and the
crossing goal on the examples and the corpus (no more crossings than the hand-made layout)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from layout_strategies import diagrams
from real_diagrams import EXAMPLES, ROOT, corpus_files, read_any, without_positions

from cld_editor.core.model import Diagram
from cld_editor.formats.native import load_diagram
from cld_editor.layout import metrics, plan
from cld_editor.layout.boxes import diagram_sizes, estimated_size
from cld_editor.layout.cycles import chosen_loops
from cld_editor.layout.iceberg import WATER_MARGIN, bands, cut


def _diagram(domains: dict[str, str | None], links: list[tuple[str, str]]) -> Diagram:
    return Diagram.model_validate(
        {
            "variables": [
                {"id": v, "label": v, "domain": d, "x": 0.0, "y": 0.0} for v, d in domains.items()
            ],
            "links": [{"source": s, "target": t, "polarity": "+"} for s, t in links],
        }
    )


def _bands(diagram: Diagram) -> tuple[list[str], list[str]]:
    ids = [v.id for v in diagram.variables]
    return bands(diagram, ids, chosen_loops(diagram))


def test_an_untagged_variable_joins_the_band_most_of_its_neighbours_are_in() -> None:
    diagram = _diagram(
        {"a": "CX", "b": "CX", "c": "EX", "x": None}, [("x", "a"), ("b", "x"), ("x", "c")]
    )
    above, below = _bands(diagram)
    assert "x" in above and "c" in below


def test_on_a_tie_the_band_holding_more_of_its_loops_wins() -> None:
    # x has one CX and one EX neighbour, but its loop x -> a -> c -> b -> x runs through two
    # CX variables and one EX: it stays with its loop, above the line.
    diagram = _diagram(
        {"a": "CX", "c": "CX", "b": "EX", "x": None},
        [("x", "a"), ("a", "c"), ("c", "b"), ("b", "x")],
    )
    above, _ = _bands(diagram)
    assert "x" in above
    # The same with the domains the other way round: below.
    flipped = _diagram(
        {"a": "EX", "c": "EX", "b": "CX", "x": None},
        [("x", "a"), ("a", "c"), ("c", "b"), ("b", "x")],
    )
    _, below = _bands(flipped)
    assert "x" in below


@pytest.mark.parametrize(("many", "joins"), [("CX", "EX"), ("EX", "CX")])
def test_then_the_band_with_fewer_members(many: str, joins: str) -> None:
    few = "EX" if many == "CX" else "CX"
    domains = {"m1": many, "m2": many, "m3": many, "f1": few, "x": None}
    diagram = _diagram(domains, [("x", "m1"), ("f1", "x")])
    above, below = _bands(diagram)
    assert "x" in (above if joins == "CX" else below)


def test_a_full_tie_goes_below() -> None:
    diagram = _diagram({"a": "CX", "b": "EX", "x": None}, [("x", "a"), ("b", "x")])
    _, below = _bands(diagram)
    assert "x" in below


def test_a_piece_with_no_domain_stays_above() -> None:
    diagram = _diagram(
        {"a": "CX", "b": "EX", "p": None, "q": None}, [("a", "b"), ("p", "q"), ("q", "p")]
    )
    above, below = _bands(diagram)
    assert {"p", "q"} <= set(above) and below == ["b"]


def test_the_cut_turns_a_drawing_until_a_level_line_parts_the_bands() -> None:
    # CX on the left and EX on the right: a quarter turn puts one band above the other.
    ids = [f"c{i}" for i in range(4)] + [f"e{i}" for i in range(4)]
    layout = {v: (-300.0 if v[0] == "c" else 300.0, 80.0 * int(v[1])) for v in ids}
    sizes = {v: estimated_size(v) for v in ids}
    pos = cut(layout, ids[:4], ids[4:], sizes, 0.0, 100.0)
    for v in ids[:4]:
        assert pos[v][1] + sizes[v][1] / 2 <= 100.0 - WATER_MARGIN + 1e-6
    for v in ids[4:]:
        assert pos[v][1] - sizes[v][1] / 2 >= 100.0 + WATER_MARGIN - 1e-6
    # Turned, not squashed: each band keeps its column's spacing along the line.
    xs = sorted(pos[v][0] for v in ids[:4])
    assert min(b - a for a, b in pairwise(xs)) == pytest.approx(80.0)


def test_a_variable_the_turn_leaves_on_the_wrong_side_goes_to_its_band() -> None:
    ids = ["c0", "c1", "c2", "e0", "e1", "e2"]
    layout = {"c0": (0, -200), "c1": (100, -200), "c2": (50, 300), "e0": (0, 200)}
    layout |= {"e1": (100, 200), "e2": (50, -300)}
    sizes = {v: (80.0, 30.0) for v in ids}
    pos = cut(layout, ids[:3], ids[3:], sizes, 0.0, 0.0)
    assert all(pos[v][1] <= -WATER_MARGIN - 15 + 1e-6 for v in ids[:3])
    assert all(pos[v][1] >= WATER_MARGIN + 15 - 1e-6 for v in ids[3:])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams(max_variables=10, domains=False))
def test_without_domains_the_iceberg_is_the_loops_drawing_with_the_line_below(diagram) -> None:
    iceberg, loops = plan(diagram, "iceberg"), plan(diagram, "loops")
    assert iceberg.positions == loops.positions
    assert iceberg.curvatures == loops.curvatures
    sizes = diagram_sizes(diagram)
    bottom = max(y + sizes[v][1] / 2 for v, (_, y) in iceberg.positions.items())
    assert iceberg.waterline == pytest.approx(bottom + WATER_MARGIN)


def test_all_ex_the_line_goes_above() -> None:
    diagram = _diagram({"a": "EX", "b": "EX", "c": None}, [("a", "b"), ("b", "c"), ("c", "a")])
    layout = plan(diagram, "iceberg")
    sizes = diagram_sizes(diagram)
    top = min(y - sizes[v][1] / 2 for v, (_, y) in layout.positions.items())
    assert layout.waterline == pytest.approx(top - WATER_MARGIN)


def _drawn_by_hand() -> list[Path]:
    """The examples and corpus files of 3 to 40 variables: diagrams a person lays out by hand,
    where the goal is measured (the bigger corpus models are measured by bench_layout)."""
    return [path for path in EXAMPLES + corpus_files() if 3 <= len(read_any(path).variables) <= 40]


@pytest.mark.parametrize("style", ["iceberg", "organic"])
@pytest.mark.parametrize("path", _drawn_by_hand(), ids=lambda p: p.name)
def test_no_more_crossings_than_the_hand_made_layout(path: Path, style: str) -> None:
    diagram = read_any(path)
    sizes = diagram_sizes(diagram)
    hand = {v.id: (v.x, v.y) for v in diagram.variables}
    by_hand = metrics.crossings(diagram, hand, sizes, {k.id: k.curvature for k in diagram.links})
    bare = without_positions(diagram)
    layout = plan(bare, style)
    bends = {link.id: 0.0 for link in diagram.links} | layout.curvatures
    assert metrics.crossings(bare, layout.positions, sizes, bends) <= by_hand
    assert metrics.overlaps(layout.positions, sizes) == 0
    if style == "iceberg":
        assert metrics.links_over_variables(bare, layout.positions, sizes, bends) == 0
        line = layout.waterline
        assert line is not None
        for v in diagram.variables:
            y, half = layout.positions[v.id][1], sizes[v.id][1] / 2
            assert v.domain != "CX" or y + half < line
            assert v.domain != "EX" or y - half > line


def test_the_experience_iceberg_is_drawn_without_crossings_the_same_every_time() -> None:
    diagram = without_positions(
        load_diagram(ROOT / "resources" / "examples" / "experience-iceberg.cld.json")
    )
    first = plan(diagram, "iceberg")
    assert first == plan(diagram, "iceberg")
    sizes = diagram_sizes(diagram)
    bends = {link.id: 0.0 for link in diagram.links} | first.curvatures
    assert metrics.crossings(diagram, first.positions, sizes, bends) == 0
