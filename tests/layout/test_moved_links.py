"""Links bent clear of variables after Align and Distribute move some (Qt-free)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.formats.native import load_diagram
from cld_editor.layout import align, distribute, metrics
from cld_editor.layout.boxes import Rect, diagram_sizes
from cld_editor.layout.moved_links import affected_links, bends_after_move

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "resources" / "examples" / "experience-loop.cld.json"
)
CHOSEN = ["Staff turnover", "Workload", "Stress and burnout", "Customer demand"]


def _boxes(diagram: Diagram, sizes) -> dict[str, Rect]:
    return {v.id: Rect(v.x, v.y, sizes[v.id][0] / 2, sizes[v.id][1] / 2) for v in diagram.variables}


@pytest.mark.parametrize("how", ["top", "middle", "horizontal"])
def test_no_link_passes_over_a_variable_after_lining_up_the_example(how) -> None:
    diagram = load_diagram(EXAMPLE)
    by_label = {v.label: v.id for v in diagram.variables}
    chosen = [by_label[name] for name in CHOSEN]
    sizes = diagram_sizes(diagram)
    boxes = _boxes(diagram, sizes)
    picked = {k: boxes[k] for k in chosen}
    if how == "horizontal":
        moved = distribute(picked, how)
    else:
        moved = align(picked, how, others={k: b for k, b in boxes.items() if k not in chosen})
    pos = {v.id: (v.x, v.y) for v in diagram.variables} | moved
    drawn = {link.id: link.curvature for link in diagram.links}
    bends = bends_after_move(diagram, moved, sizes)
    assert metrics.links_over_variables(diagram, pos, sizes, drawn | bends) == 0
    # Only links the move disturbed are bent.
    assert set(bends) <= affected_links(diagram, pos, sizes, set(moved))


def test_a_link_a_moved_variable_lands_on_is_bent_too() -> None:
    # c moves onto the straight link a -> b, which touches no moved variable.
    diagram = Diagram(
        variables=[
            Variable(id="a", label="A", x=0, y=0),
            Variable(id="b", label="B", x=600, y=0),
            Variable(id="c", label="C", x=300, y=200),
        ],
        links=[Link(id="ab", source="a", target="b", curvature=0.0)],
    )
    sizes = diagram_sizes(diagram)
    moved = {"c": (300.0, 0.0)}
    pos = {"a": (0.0, 0.0), "b": (600.0, 0.0), "c": (300.0, 0.0)}
    assert metrics.links_over_variables(diagram, pos, sizes, {"ab": 0.0}) == 1
    bends = bends_after_move(diagram, moved, sizes)
    assert "ab" in bends
    assert metrics.links_over_variables(diagram, pos, sizes, bends) == 0


def test_nothing_to_bend_when_links_stay_clear() -> None:
    diagram = Diagram(
        variables=[
            Variable(id="a", label="A", x=0, y=0),
            Variable(id="b", label="B", x=600, y=0),
        ],
        links=[Link(id="ab", source="a", target="b", curvature=0.0)],
    )
    assert bends_after_move(diagram, {"b": (600.0, 40.0)}) == {}
