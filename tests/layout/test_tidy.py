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


def test_a_link_grazing_a_box_it_does_not_connect_is_bent_clear_and_a_second_tidy_rests() -> None:
    from cld_editor.layout.boxes import Grid
    from cld_editor.layout.link_checks import links_over
    from cld_editor.layout.moved_links import CLEAR_BY

    diagram = Diagram.model_validate(
        {
            "variables": [
                {"id": "a", "label": "Investment", "x": -250, "y": 0},
                {"id": "w", "label": "Workload", "x": 0, "y": 40},
                {"id": "b", "label": "Engagement", "x": 250, "y": 0},
            ],
            # Bowed down by 0.04, the link dips to within a few units of Workload's top edge,
            # where its badge stands: it reads as arriving there.
            "links": [{"id": "ab", "source": "a", "target": "b", "curvature": -0.04}],
        }
    )
    sizes = diagram_sizes(diagram)
    pos = {v.id: (v.x, v.y) for v in diagram.variables}
    grid = Grid(rects(pos, sizes), cell=120.0, margin=CLEAR_BY + 2)
    assert links_over(diagram.links, pos, {"ab": -0.04}, grid, CLEAR_BY)
    layout = tidy(diagram)
    assert "ab" in layout.curvatures and not layout.positions
    assert not links_over(diagram.links, pos, layout.curvatures, grid, CLEAR_BY)
    document = Document(diagram)
    document.apply(layout_op(diagram, layout))
    again = tidy(document.diagram)
    assert not again.positions and not again.curvatures
