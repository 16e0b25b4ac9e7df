"""Tidy Up: ragged rows and columns straightened, touching boxes parted, the rest left alone."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from layout_strategies import diagrams

from cld_editor.core.document import Document
from cld_editor.core.model import Diagram
from cld_editor.layout import layout_op, metrics, tidy
from cld_editor.layout.boxes import diagram_sizes, rects


def ragged() -> Diagram:
    return Diagram.model_validate(
        {
            "variables": [
                {"id": "a", "label": "Sales", "x": 0, "y": 0},
                {"id": "b", "label": "Staff", "x": 200, "y": 7},
                {"id": "c", "label": "Leads", "x": 400, "y": -5},
                {"id": "d", "label": "Price", "x": 9, "y": 200},
                {"id": "e", "label": "Far away", "x": 700, "y": 400},
            ],
            "links": [
                {"source": "a", "target": "b"},
                {"source": "b", "target": "c"},
                {"source": "a", "target": "c"},
            ],
        }
    )


def test_nearly_aligned_centres_are_lined_up_and_the_rest_stays() -> None:
    diagram = ragged()
    layout = tidy(diagram)
    after = {v.id: layout.positions.get(v.id, (v.x, v.y)) for v in diagram.variables}
    assert after["a"][1] == after["b"][1] == after["c"][1]  # one row
    assert after["a"][0] == after["d"][0]  # one column
    assert "e" not in layout.positions  # nothing near it: it stays
    # The link from a to c no longer runs over b, which sits on the same row.
    bends = {link.id: link.curvature for link in diagram.links} | layout.curvatures
    assert metrics.links_over_variables(diagram, after, diagram_sizes(diagram), bends) == 0
    doc = Document(diagram)
    inverse = doc.apply(layout_op(diagram, layout))
    assert inverse is not None and doc.diagram != diagram


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams())
def test_tidy_leaves_no_overlap(diagram: Diagram) -> None:
    sizes = diagram_sizes(diagram)
    layout = tidy(diagram)
    after = {v.id: layout.positions.get(v.id, (v.x, v.y)) for v in diagram.variables}
    assert metrics.overlaps(after, sizes) == 0
    boxes = rects(after, sizes)
    assert all(not boxes[a].overlaps(boxes[b]) for a in boxes for b in boxes if a < b)
