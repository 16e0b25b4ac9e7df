"""After an Arrange, a waterline shown moves to the gap that best separates CX (above) from EX
(below), in the same undo step; a diagram without a waterline gets none."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from layout_strategies import diagrams

from cld_editor.core.document import Document
from cld_editor.formats.native import load_diagram
from cld_editor.layout import STYLES, layout_op, plan
from cld_editor.layout.boxes import diagram_sizes
from cld_editor.layout.loop_labels import label_extent

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
ICEBERG = EXAMPLES / "experience-iceberg.cld.json"


def _wrong(diagram, pos, y: float) -> int:
    """CX variables below ``y`` and EX ones above it."""
    return sum(
        (v.domain == "CX" and pos[v.id][1] > y) or (v.domain == "EX" and pos[v.id][1] < y)
        for v in diagram.variables
    )


def _fewest_wrong(diagram, pos, sizes) -> int:
    """The fewest on the wrong side of any line that passes through no box."""
    edges = sorted(
        {pos[v][1] - sizes[v][1] / 2 for v in pos} | {pos[v][1] + sizes[v][1] / 2 for v in pos}
    )
    candidates = [edges[0] - 10, edges[-1] + 10]
    candidates += [(a + b) / 2 for a, b in pairwise(edges)]
    clear = [y for y in candidates if all(abs(y - pos[v][1]) >= sizes[v][1] / 2 for v in pos)]
    return min(_wrong(diagram, pos, y) for y in clear)


@pytest.mark.parametrize("style", STYLES)
def test_the_waterline_follows_an_arrange_to_the_best_gap(style: str) -> None:
    diagram = load_diagram(ICEBERG)
    assert diagram.waterline is not None
    sizes = diagram_sizes(diagram)
    layout = plan(diagram, style)
    pos = {v.id: (v.x, v.y) for v in diagram.variables} | layout.positions
    assert layout.waterline is not None
    y = layout.waterline
    assert all(abs(y - pos[v][1]) >= sizes[v][1] / 2 for v in pos), "the line cuts a box"
    assert _wrong(diagram, pos, y) == _fewest_wrong(diagram, pos, sizes)
    # Positions and the line move in one undo step.
    doc = Document(diagram)
    undo = doc.apply(layout_op(diagram, layout))
    assert doc.waterline == round(y, 2)
    doc.apply(undo)
    assert doc.waterline == diagram.waterline
    assert {v.id: (v.x, v.y) for v in doc.diagram.variables} == {
        v.id: (v.x, v.y) for v in diagram.variables
    }


def test_arranging_a_selection_moves_the_waterline_too() -> None:
    diagram = load_diagram(ICEBERG)
    sizes = diagram_sizes(diagram)
    chosen = {v.id for v in diagram.variables if v.domain == "CX"}
    layout = plan(diagram, "layered", only=chosen)
    pos = {v.id: (v.x, v.y) for v in diagram.variables} | layout.positions
    assert layout.waterline is not None
    assert _wrong(diagram, pos, layout.waterline) == _fewest_wrong(diagram, pos, sizes)


def test_no_waterline_shown_none_added() -> None:
    diagram = load_diagram(ICEBERG).model_copy(update={"waterline": None})
    for style in ("loops", "layered", "organic"):
        assert plan(diagram, style).waterline is None


def _labels_on_line(diagram, layout) -> list[str]:
    """Loop labels (circle and caption as drawn) that the waterline passes through or grazes."""
    names = {b.id: b.name for b in diagram.loop_labels}
    out = []
    for label_id, (_, y) in layout.labels.items():
        _, top, _, bottom = label_extent(names[label_id])
        if y + top - 4 < layout.waterline < y + bottom + 4:
            out.append(label_id)
    return out


# (About half the diagrams drawn have no loop label or no domain and are skipped: a run of
# them is no reason to fail.)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(diagrams(max_variables=10))
def test_iceberg_loop_labels_keep_off_the_waterline(diagram) -> None:
    assume(diagram.loop_labels and any(v.domain for v in diagram.variables))
    layout = plan(diagram, "iceberg")
    assert layout.waterline is not None
    assert _labels_on_line(diagram, layout) == []


@pytest.mark.parametrize("style", ["loops", "layered"])
def test_a_shown_waterline_and_the_loop_labels_keep_apart(style: str) -> None:
    diagram = load_diagram(ICEBERG)
    assert diagram.waterline is not None and diagram.loop_labels
    layout = plan(diagram, style)
    assert _labels_on_line(diagram, layout) == []


@pytest.mark.parametrize("style", ["loops", "iceberg"])
def test_where_labels_were_before_an_arrange_does_not_move_its_waterline(style: str) -> None:
    """An Arrange places the loop labels afresh, so their old spots must not steer the line."""
    diagram = load_diagram(ICEBERG)
    assert diagram.loop_labels
    base = plan(diagram, style)
    for y in (-600.0, -40.0, 0.0, 35.0, 600.0):
        moved = diagram.model_copy(
            update={"loop_labels": [b.model_copy(update={"y": y}) for b in diagram.loop_labels]}
        )
        assert plan(moved, style).waterline == base.waterline


@pytest.mark.parametrize("style", ["loops", "layered", "organic"])
def test_without_domains_the_waterline_stays_where_it_was(style: str) -> None:
    # The user put the line over the model; nothing is CX or EX, so an Arrange has nothing to
    # part and leaves it there (it used to jump to the gap nearest the model's middle).
    untagged = load_diagram(ICEBERG)
    untagged = untagged.model_copy(
        update={"variables": [v.model_copy(update={"domain": None}) for v in untagged.variables]}
    )
    top = min(v.y for v in untagged.variables) - 200
    diagram = untagged.model_copy(update={"waterline": top})
    sizes = diagram_sizes(diagram)
    layout = plan(diagram, style)
    pos = {v.id: (v.x, v.y) for v in diagram.variables} | layout.positions
    y = layout.waterline
    assert all(p[1] - sizes[v][1] / 2 > top + 3 for v, p in pos.items())  # all below it
    assert y == top


def test_without_domains_a_waterline_a_box_now_covers_moves_just_clear() -> None:
    from cld_editor.layout.water import waterline_after

    diagram = load_diagram(ICEBERG)
    diagram = diagram.model_copy(
        update={"variables": [v.model_copy(update={"domain": None}) for v in diagram.variables]}
    )
    sizes = diagram_sizes(diagram)
    first = diagram.variables[0]
    line = first.y + 2  # through the first variable's box
    y = waterline_after(diagram.model_copy(update={"waterline": line}), {}, sizes, {})
    assert y != line and abs(y - line) <= sizes[first.id][1] / 2 + 4
    assert all(abs(y - v.y) >= sizes[v.id][1] / 2 for v in diagram.variables)
