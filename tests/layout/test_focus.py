"""Loop focus, without Qt: the loop alone on a circle, what touches it around it."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cld_editor.formats.native import load_diagram
from cld_editor.layout import metrics
from cld_editor.layout.boxes import diagram_sizes
from cld_editor.layout.focus import loop_focus

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "resources" / "examples" / "experience-loop.cld.json"
)


def test_the_loop_is_a_clockwise_circle_with_its_neighbours_outside() -> None:
    diagram = load_diagram(EXAMPLE)
    label = next(b for b in diagram.loop_labels if b.id == "virtuous")
    focus = loop_focus(diagram, label.loop)
    pos = {v.id: (v.x, v.y) for v in focus.variables}
    members = label.loop
    radii = [math.dist(pos[v], (0, 0)) for v in members]
    assert max(radii) - min(radii) < 1e-6 * max(radii) + 0.02
    assert metrics.convex([pos[v] for v in members])
    # Clockwise on screen (y down): the shoelace sum is positive.
    pts = [pos[v] for v in members]
    area = sum(
        pts[i][0] * pts[(i + 1) % len(pts)][1] - pts[(i + 1) % len(pts)][0] * pts[i][1]
        for i in range(len(pts))
    )
    assert area > 0
    others = set(pos) - set(members)
    linked = {
        end
        for link in diagram.links
        if link.source in members or link.target in members
        for end in (link.source, link.target)
    }
    assert others == linked - set(members) and others
    for v in others:
        assert math.dist(pos[v], (0, 0)) > max(radii)
    sizes = diagram_sizes(focus)
    assert metrics.overlaps(pos, sizes) == 0
    assert metrics.links_over_variables(focus, pos, sizes) == 0
    # The loop's own label comes along, in the middle of its circle.
    assert [b.id for b in focus.loop_labels] == ["virtuous"]
    assert math.dist((focus.loop_labels[0].x, focus.loop_labels[0].y), (0, 0)) < max(radii) / 2


def test_not_a_loop_of_the_diagram_is_refused() -> None:
    with pytest.raises(ValueError, match="not a loop"):
        loop_focus(load_diagram(EXAMPLE), ["nobody"])
