"""After an Arrange, a waterline shown moves to the gap that best separates CX (above) from EX
(below), in the same undo step; a diagram without a waterline gets none."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from layout_strategies import diagrams

from cld_editor.core.document import Document
from cld_editor.core.model import Diagram
from cld_editor.core.waterline import WATERLINE_CLEARANCE
from cld_editor.formats.native import load_diagram
from cld_editor.layout import STYLES, Layout, layout_op, metrics, plan
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
    """The fewest on the wrong side of any line that passes through no box and keeps
    WATERLINE_CLEARANCE from each."""
    edges = sorted(
        {pos[v][1] - sizes[v][1] / 2 for v in pos} | {pos[v][1] + sizes[v][1] / 2 for v in pos}
    )
    candidates = [edges[0] - 10, edges[-1] + 10]
    candidates += [(a + b) / 2 for a, b in pairwise(edges)]
    room = WATERLINE_CLEARANCE
    clear = [
        y for y in candidates if all(abs(y - pos[v][1]) >= sizes[v][1] / 2 + room for v in pos)
    ]
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


def _team(waterline: float | None = 0.0) -> Diagram:
    """A service team: EX variables (morale, workload, turnover, hiring) and CX ones (service,
    complaints, retention) in loops through each other, Revenue untagged."""
    ex = ["Staff morale", "Workload", "Staff turnover", "Hiring"]
    cx = ["Service quality", "Customer complaints", "Customer retention"]
    links = [
        ("Staff morale", "Service quality", "+"),
        ("Service quality", "Customer complaints", "-"),
        ("Customer complaints", "Workload", "+"),
        ("Workload", "Staff morale", "-"),
        ("Staff morale", "Staff turnover", "-"),
        ("Staff turnover", "Workload", "+"),
        ("Staff turnover", "Hiring", "+"),
        ("Hiring", "Workload", "-"),
        ("Service quality", "Customer retention", "+"),
        ("Customer retention", "Revenue", "+"),
        ("Revenue", "Hiring", "+"),
        ("Customer complaints", "Customer retention", "-"),
    ]
    order = ["Staff morale", "Service quality", "Customer complaints", "Workload"]
    order += ["Staff turnover", "Hiring", "Customer retention", "Revenue"]
    domain = dict.fromkeys(ex, "EX") | dict.fromkeys(cx, "CX")
    variables = [{"id": n, "label": n, "domain": domain.get(n)} for n in order]
    return Diagram.model_validate(
        {
            "waterline": waterline,
            "variables": variables,
            "links": [{"source": u, "target": w, "polarity": p} for u, w, p in links],
        }
    )


@pytest.mark.parametrize("style", ["loops", "layered", "organic"])
def test_a_layout_under_a_shown_waterline_is_turned_to_part_cx_from_ex(style: str) -> None:
    """Laid out as the style would without the line, then turned over (upside down, or half
    round) where that leaves fewer on the wrong side: never more than the plain layout's best
    line, none for the team's loops, and the drawing as good as before."""
    from cld_editor.layout.water import wrong_sides

    shown, hidden = _team(0.0), _team(None)
    sizes = diagram_sizes(shown)
    plain = plan(hidden, style)
    layout = plan(shown, style)
    line = layout.waterline
    assert line is not None
    best_plain = _fewest_wrong(shown, plain.positions, sizes)
    assert wrong_sides(shown, layout.positions, line) <= best_plain
    assert wrong_sides(shown, layout.positions, line) == _fewest_wrong(
        shown, layout.positions, sizes
    )
    if style == "loops":
        assert best_plain > 0  # the loops as drawn put CX under EX
        assert wrong_sides(shown, layout.positions, line) == 0
    bends = {link.id: link.curvature for link in shown.links} | layout.curvatures
    plain_bends = {link.id: link.curvature for link in shown.links} | plain.curvatures
    assert metrics.crossings(shown, layout.positions, sizes, bends) == metrics.crossings(
        hidden, plain.positions, sizes, plain_bends
    )
    assert metrics.links_over_variables(shown, layout.positions, sizes, bends) == 0


def test_the_status_says_when_no_gap_parts_cx_from_ex() -> None:
    from cld_editor.layout.notes import waterline_notes

    diagram = _team(0.0)
    for style in ("loops", "layered"):
        layout = plan(diagram, style)
        short, details = waterline_notes(diagram, layout)
        pos = {v.id: (v.x, v.y) for v in diagram.variables} | layout.positions
        wrong = _wrong(diagram, pos, layout.waterline)
        if wrong:
            assert short.startswith("no gap parts CX from EX")
            assert f"{wrong} of the 7 variables tagged CX or EX" in details
        else:
            assert (short, details) == ("", "")
    # Rows of CX and EX side by side: no gap parts them, whatever way up.
    mixed = _team(0.0).model_copy(
        update={
            "variables": [
                v.model_copy(update={"x": 200.0 * k, "y": 0.0})
                for k, v in enumerate(_team(0.0).variables)
            ]
        }
    )
    flat = Layout("loops", {v.id: (v.x, v.y) for v in mixed.variables}, waterline=-40.0)
    short, details = waterline_notes(mixed, flat)
    assert short == "no gap parts CX from EX (3 of 7 on the wrong side of the waterline)"
    assert "Arrange as Iceberg to put CX above the line" in details
    assert waterline_notes(mixed, Layout("iceberg", flat.positions, waterline=-40.0)) == ("", "")
