"""Properties of every layout style on generated diagrams (no overlaps, determinism, pinned
variables unmoved, iceberg band order) and the arrangement as one undo step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layout_strategies import diagrams

from cld_editor.core.document import Document
from cld_editor.core.history import History
from cld_editor.core.model import Diagram
from cld_editor.formats.native import load_diagram
from cld_editor.layout import STYLES, arrange, layout_op, metrics, plan
from cld_editor.layout.boxes import GAP, diagram_sizes, estimated_size, rects
from cld_editor.layout.cycles import chosen_loops

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.json"))
EXAMPLES = [p for p in EXAMPLES if p.name != "index.json"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _all_positions(diagram: Diagram, moved: dict) -> dict:
    return {v.id: moved.get(v.id, (v.x, v.y)) for v in diagram.variables}


@SETTINGS
@given(diagrams(), st.sampled_from(STYLES))
def test_no_two_boxes_overlap(diagram: Diagram, style: str) -> None:
    sizes = diagram_sizes(diagram)
    positions = arrange(diagram, style)
    assert set(positions) == {v.id for v in diagram.variables}
    assert metrics.overlaps(positions, sizes) == 0


@SETTINGS
@given(diagrams(), st.sampled_from(STYLES), st.integers(0, 3))
def test_same_input_same_layout(diagram: Diagram, style: str, seed: int) -> None:
    assert plan(diagram, style, seed=seed) == plan(diagram, style, seed=seed)


@SETTINGS
@given(diagrams(), st.sampled_from(STYLES), st.data())
def test_pinned_variables_stay(diagram: Diagram, style: str, data) -> None:
    ids = [v.id for v in diagram.variables]
    only = set(data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids))))
    layout = plan(diagram, style, only=only)
    assert set(layout.positions) == only
    after = _all_positions(diagram, layout.positions)
    sizes = diagram_sizes(diagram)
    boxes = rects(after, sizes)
    # What moved keeps clear of everything, pinned or moved.
    for v in only:
        for w, box in boxes.items():
            if w != v:
                assert not boxes[v].overlaps(box), (v, w)
    # Links between pinned variables keep their shape; labels of untouched loops stay.
    for link in diagram.links:
        if link.source not in only and link.target not in only:
            assert link.id not in layout.curvatures
    for label in diagram.loop_labels:
        if only.isdisjoint(label.loop):
            assert label.id not in layout.labels


@SETTINGS
@given(diagrams())
def test_iceberg_puts_cx_above_and_ex_below_the_waterline(diagram: Diagram) -> None:
    layout = plan(diagram, "iceberg")
    sizes = diagram_sizes(diagram)
    line = layout.waterline
    assert line is not None
    for v in diagram.variables:
        _x, y = layout.positions[v.id]
        half = sizes[v.id][1] / 2
        if v.domain == "CX":
            assert y + half < line
        elif v.domain == "EX":
            assert y - half > line


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown layout style 'spiral'"):
        arrange(Diagram(), "spiral")


@pytest.mark.parametrize("style", STYLES)
def test_a_layout_is_one_undo_step(style: str) -> None:
    diagram = load_diagram(EXAMPLES[0])
    doc = Document(diagram)
    history = History(doc)
    before = doc.diagram.model_dump()
    history.push(layout_op(doc.diagram, plan(doc.diagram, style)))
    assert doc.diagram.model_dump() != before
    assert history.undo_name == f"Arrange ({style.capitalize()})"
    history.undo()
    assert doc.diagram.model_dump() == before
    assert not history.can_undo


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("style", ["loops", "layered", "iceberg"])
def test_examples_have_no_link_over_a_variable(path: Path, style: str) -> None:
    diagram = load_diagram(path)
    sizes = diagram_sizes(diagram)
    layout = plan(diagram, style)
    bends = {link.id: link.curvature for link in diagram.links} | layout.curvatures
    assert metrics.overlaps(layout.positions, sizes) == 0
    assert metrics.links_over_variables(diagram, layout.positions, sizes, bends) == 0


def test_loops_are_round_cycles_with_their_labels_inside() -> None:
    diagram = load_diagram(next(p for p in EXAMPLES if p.name == "experience-loop.cld.json"))
    layout = plan(diagram, "loops")
    loops = chosen_loops(diagram)
    assert metrics.convex_share(loops, layout.positions) >= 0.6
    from cld_editor.layout.label_place import inside

    for label in diagram.loop_labels:
        polygon = [layout.positions[v] for v in label.loop]
        assert inside(layout.labels[label.id], polygon), label.id


def test_estimated_box_sizes_wrap_like_the_canvas() -> None:
    assert estimated_size("x") == (64.0, 30.0)  # the minimum box
    _w1, h1 = estimated_size("Revenue")
    w2, h2 = estimated_size("Investment in employees and other costs")
    assert h1 == 30.0 and h2 > h1 and w2 <= 132 + 22 + 1


def test_gap_is_kept_between_arranged_boxes() -> None:
    diagram = load_diagram(EXAMPLES[0])
    sizes = diagram_sizes(diagram)
    positions = arrange(diagram, "organic")
    boxes = rects(positions, sizes)
    for a in boxes:
        for b in boxes:
            if a < b:
                assert not boxes[a].overlaps(boxes[b], GAP - 0.5)


def test_example_files_are_unchanged_json() -> None:
    # The layout never writes: arranging leaves the example file as it was.
    raw = EXAMPLES[0].read_text()
    arrange(load_diagram(EXAMPLES[0]))
    assert json.loads(EXAMPLES[0].read_text()) == json.loads(raw)
