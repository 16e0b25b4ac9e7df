"""Tidy Up: ragged rows and columns straightened, touching boxes parted, the rest left alone."""

from __future__ import annotations

import math

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


def _long_link_through(crowd: list[tuple[float, float]]) -> Diagram:
    """Two clusters 6,000 units apart joined by one long straight link, with boxes at
    ``crowd`` on its way (and a few variables around, so the diagram has some height)."""
    variables = [
        {"id": "a", "label": "Months per year", "x": 0, "y": 0},
        {"id": "a2", "label": "Days per month", "x": 0, "y": 300},
        {"id": "b", "label": "Monthly deaths", "x": 6000, "y": 0},
        {"id": "b2", "label": "Yearly deaths", "x": 6000, "y": -300},
    ]
    variables += [
        {"id": f"c{k}", "label": f"Crowd {k}", "x": x, "y": y} for k, (x, y) in enumerate(crowd)
    ]
    links = [
        {"id": "long", "source": "a", "target": "b", "curvature": 0.0},
        {"id": "left", "source": "a2", "target": "a"},
        {"id": "right", "source": "b2", "target": "b"},
    ]
    return Diagram.model_validate({"variables": variables, "links": links})


Bounds = tuple[float, float, float, float]


def _reach(diagram: Diagram, layout) -> tuple[float, Bounds, Bounds]:
    """The largest bow (units from the chord) of the links ``layout`` bends, the bounds of
    the boxes and every link as drawn after it, and those of the boxes alone."""
    from cld_editor.layout.boxes import bounds
    from cld_editor.layout.links import arc_points

    pos = {v.id: layout.positions.get(v.id, (v.x, v.y)) for v in diagram.variables}
    bends = {link.id: link.curvature for link in diagram.links} | layout.curvatures
    ends = {link.id: (pos[link.source], pos[link.target]) for link in diagram.links}
    bulge = max((abs(c) * math.dist(*ends[k]) for k, c in layout.curvatures.items()), default=0)
    boxes = bounds(rects(pos, diagram_sizes(diagram)).values())
    left, top, right, bottom = boxes
    for link_id, (p0, p1) in ends.items():
        pts = arc_points(p0, p1, bends[link_id])
        left, top = min(left, pts[:, 0].min()), min(top, pts[:, 1].min())
        right, bottom = max(right, pts[:, 0].max()), max(bottom, pts[:, 1].max())
    return bulge, (left, top, right, bottom), boxes


def test_a_long_link_through_one_box_takes_the_smallest_bow_that_clears_it() -> None:
    diagram = _long_link_through([(3000, 0)])
    layout = tidy(diagram)
    assert "long" in layout.curvatures
    bulge, reach, boxes = _reach(diagram, layout)
    # A box is about 40 high: a bow of a few dozen units clears it, not 0.1 x 6,000 = 600.
    assert 20 < bulge <= 80
    assert _within(reach, boxes, MOST_BULGE_ROOM)
    pos = {v.id: (v.x, v.y) for v in diagram.variables}
    bends = {link.id: link.curvature for link in diagram.links} | layout.curvatures
    assert metrics.links_over_variables(diagram, pos, diagram_sizes(diagram), bends) == 0


def test_a_long_link_through_a_crowd_keeps_straight_rather_than_loop_out() -> None:
    # Two staggered columns of boxes 1,200 units tall across the link's middle: only a bow of
    # thousands of units, far outside the diagram, would clear them.
    crowd = [(3000, y) for y in range(-600, 601, 42)] + [(3100, y) for y in range(-579, 601, 42)]
    diagram = _long_link_through(crowd)
    layout = tidy(diagram)
    bulge, reach, boxes = _reach(diagram, layout)
    assert bulge <= 200
    assert _within(reach, boxes, MOST_BULGE_ROOM)
    assert layout.curvatures.get("long", 0.0) == 0.0  # kept straight


def test_a_long_link_along_the_top_edge_takes_a_small_bow_rather_than_leave_the_diagram() -> None:
    # The link runs along the top of the diagram through one box, with a crowd below it: a
    # bow downwards would have to pass the whole crowd, a bow of a share of the chord upwards
    # (0.02 x 6,000 = 120) would leave the diagram; a bow of a few dozen units up clears it.
    below = [(3000, y) for y in range(45, 400, 45)] + [(3100, y) for y in range(22, 400, 45)]
    diagram = Diagram.model_validate(
        {
            "variables": [
                {"id": "a", "label": "Months per year", "x": 0, "y": 0},
                {"id": "b", "label": "Monthly deaths", "x": 6000, "y": 0},
                {"id": "c", "label": "In the way", "x": 3000, "y": 0},
            ]
            + [
                {"id": f"d{k}", "label": f"Crowd {k}", "x": x, "y": y}
                for k, (x, y) in enumerate(below)
            ],
            "links": [{"id": "long", "source": "a", "target": "b", "curvature": 0.0}],
        }
    )
    layout = tidy(diagram)
    bulge, reach, boxes = _reach(diagram, layout)
    assert layout.curvatures["long"] > 0  # upwards
    assert bulge <= 40 + 15
    assert _within(reach, boxes, MOST_BULGE_ROOM)


MOST_BULGE_ROOM = 40.0


def _within(reach: Bounds, boxes: Bounds, margin: float) -> bool:
    return (
        reach[0] >= boxes[0] - margin - 1e-6
        and reach[1] >= boxes[1] - margin - 1e-6
        and reach[2] <= boxes[2] + margin + 1e-6
        and reach[3] <= boxes[3] + margin + 1e-6
    )
