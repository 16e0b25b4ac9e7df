"""A drawing from another tool, redrawn with cld-editor's boxes: links that would run over a
variable they do not connect bow around it, and loop markers sitting on a link move beside it;
what was clear stays as drawn."""

from __future__ import annotations

import math

from cld_editor.formats.conversion import ConversionReport
from cld_editor.formats.importing import DiagramBuilder
from cld_editor.layout import metrics
from cld_editor.layout.boxes import diagram_sizes
from cld_editor.layout.links import arc_points


def _built(marker_at: tuple[float, float], in_the_way: bool):
    report = ConversionReport("vensim")
    builder = DiagramBuilder(report)
    builder.drawn_elsewhere = True
    builder.add_variable("a", "Workload", 0, 0)
    builder.add_variable("b", "Burnout", 600, 0)
    builder.add_variable("c", "Engagement", 300, 300)
    builder.add_link("a", "b", "+", curvature=0.0)
    builder.add_link("b", "c", "+", curvature=0.0)
    builder.add_link("c", "a", "-", curvature=0.0)
    builder.add_variable(
        "d", "Overtime" if in_the_way else "Elsewhere", 300, 0 if in_the_way else -400
    )
    builder.add_loop_marker("B1", *marker_at)
    return builder.build("t"), report


def _passes_over(diagram) -> int:
    positions = {v.id: (v.x, v.y) for v in diagram.variables}
    bends = {link.id: link.curvature for link in diagram.links}
    return metrics.links_over_variables(diagram, positions, diagram_sizes(diagram), bends)


def test_a_link_through_a_variable_it_does_not_connect_bows_around_it() -> None:
    diagram, report = _built((300, 100), in_the_way=True)
    assert _passes_over(diagram) == 0
    [bent] = [link for link in diagram.links if link.curvature]
    assert (bent.source, bent.target) == ("workload", "burnout")
    assert any("bent around it (Workload → Burnout)" in line for line in report.lines())
    # Drawing notes only: analyze leaves them out.
    assert not any("bent" in line for line in report.lines(drawing=False))


def test_a_loop_marker_on_a_link_moves_off_it_and_a_clear_one_stays() -> None:
    on_link, report = _built((300, 0), in_the_way=False)  # on the straight link a -> b
    [label] = on_link.loop_labels
    positions = {v.id: (v.x, v.y) for v in on_link.variables}
    line = arc_points(positions["workload"], positions["burnout"], 0.0)
    assert min(math.dist((label.x, label.y), tuple(p)) for p in line) > 15
    assert any(
        "loop marker that sat on a link or a variable was moved" in line for line in report.lines()
    )
    clear, report = _built((300, 100), in_the_way=False)  # inside the loop, on nothing
    assert (clear.loop_labels[0].x, clear.loop_labels[0].y) == (300, 100)
    assert not any("moved" in line for line in report.lines())
