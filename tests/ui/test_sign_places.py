"""Polarity signs of links crowding one variable each read as their own link's: clear of the
other links, arrowheads and signs there (ui/drawing/sign_places.py through LinkLayout), the
same on the canvas as in the whole-diagram layout of exports."""

from __future__ import annotations

import math

import numpy as np
from canvas_helpers import make_canvas

from cld_editor.core.model import Diagram
from cld_editor.ui.drawing.geometry import Box, LinkGeometry, polyline
from cld_editor.ui.drawing.link_layout import link_geometries
from cld_editor.ui.drawing.sign_places import ARROW_CLEAR, SIGN_CLEAR


def _distance(p, g: LinkGeometry) -> float:
    pts = np.array([*polyline(g.start, g.cubics, 8), g.tip])
    a, b = pts[:-1], pts[1:]
    d = b - a
    t = np.clip(((np.array(p) - a) * d).sum(1) / np.maximum((d * d).sum(1), 1e-12), 0, 1)
    return float(np.min(np.hypot(*(a + t[:, None] * d - p).T)))


def fan_in() -> tuple[dict[str, Box], list[tuple[str, str, str, float]]]:
    """Four sources left of a target, close together (as a layered layout stacks a level),
    their links arriving side by side, and one link leaving the target to the left."""
    boxes = {"t": Box(0.0, 0.0, 60.0, 16.0, 9.0)}
    links = []
    for k in range(4):
        boxes[f"s{k}"] = Box(-320.0, -60.0 + 40.0 * k, 50.0, 15.0, 9.0)
        links.append((f"l{k}", f"s{k}", "t", 0.0))
    boxes["o"] = Box(-300.0, 160.0, 50.0, 15.0, 9.0)
    links.append(("out", "t", "o", 0.1))
    return boxes, links


def crowding(geometries: dict[str, LinkGeometry], signs: dict[str, tuple]) -> list[str]:
    """What makes a sign hard to attribute: nearer another link than its own (by less than 7
    units), on an arrowhead, or on another sign."""
    found = []
    for link_id, spot in signs.items():
        own = _distance(spot, geometries[link_id])
        for other_id, g in geometries.items():
            if other_id == link_id:
                continue
            if _distance(spot, g) < own + 7:
                found.append(f"{link_id} sign by link {other_id}")
            if min(math.dist(spot, p) for p in g.arrow) < ARROW_CLEAR:
                found.append(f"{link_id} sign on arrowhead of {other_id}")
            if other_id in signs and math.dist(spot, signs[other_id]) < SIGN_CLEAR:
                found.append(f"{link_id} sign on sign of {other_id}")
    return found


def test_signs_of_links_fanning_in_are_each_by_their_own_link() -> None:
    boxes, links = fan_in()
    drawn = link_geometries(boxes, links)
    arriving = {i: drawn[i].sign_pos for i, _, t, _ in links if t == "t"}
    assert crowding(drawn, arriving) == []
    for link_id, spot in arriving.items():
        # Still near its arrowhead: within a few sign widths of the tip.
        assert math.dist(spot, drawn[link_id].tip) < 90
        assert not boxes["t"].contains(*spot)


def test_the_usual_spots_would_crowd_there() -> None:
    # The same fan with each link drawn alone (no neighbours to avoid): the usual spots.
    boxes, links = fan_in()
    alone = {i: link_geometries(boxes, [link])[i] for link in links for i in [link[0]]}
    together = link_geometries(boxes, links)
    usual = {i: alone[i].sign_pos for i, _, t, _ in links if t == "t"}
    assert crowding(together, usual)


def test_a_lone_link_keeps_its_usual_sign() -> None:
    boxes, links = fan_in()
    link = links[0]
    drawn = link_geometries(boxes, [link])
    far = {"t": boxes["t"], "s0": boxes["s0"]}
    assert drawn[link[0]].sign_pos == link_geometries(far, [link])[link[0]].sign_pos


def test_the_canvas_places_signs_as_the_export_does(qtbot) -> None:
    boxes, links = fan_in()
    diagram = Diagram.model_validate(
        {
            "variables": [
                {"id": v, "label": f"Variable {v}", "x": b.cx, "y": b.cy} for v, b in boxes.items()
            ],
            "links": [
                {"id": i, "source": s, "target": t, "polarity": "+", "curvature": c}
                for i, s, t, c in links
            ],
        }
    )
    c = make_canvas(qtbot, diagram)
    items = {i: c.scene.item_for(i).geometry for i, *_ in links}
    arriving = {i: g.sign_pos for i, g in items.items() if i != "out"}
    assert crowding(items, arriving) == []
    # Moving one source redoes the signs at the target, as a fresh layout would.
    c.scene.item_for("s1").setPos(-320.0, 100.0)
    canvas_boxes = {v: c.scene.item_for(v).box() for v in boxes}
    whole = link_geometries(canvas_boxes, links)
    for i, *_ in links:
        assert math.dist(c.scene.item_for(i).geometry.sign_pos, whole[i].sign_pos) < 1e-6


def _sir():
    from pathlib import Path

    import pytest

    from cld_editor.formats.registry import read_diagram
    from cld_editor.ui.drawing import render

    path = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "vensim" / "SIR.mdl"
    if not path.exists():
        pytest.skip("the shared corpus is not here")
    diagram, _ = read_diagram(path)
    boxes = {v.id: render.variable_shape(v.label).box(v.x, v.y) for v in diagram.variables}
    links = [(lk.id, lk.source, lk.target, lk.curvature) for lk in diagram.links]
    return diagram, link_geometries(boxes, links)


def test_five_signs_at_sirs_reproduction_rate_each_read_as_their_own_link(qapp) -> None:
    # Five links arrive at Reproduction Rate, two of them nearly side by side: each sign is
    # clearly nearer its own link (by 12 units or more) than any other there, and the signs
    # keep apart, so the one "-" (Total Population P) cannot be read as a neighbour's.
    diagram, drawn = _sir()
    [target] = [v.id for v in diagram.variables if v.label.startswith("Reproduction")]
    arriving = [lk for lk in diagram.links if lk.target == target]
    assert len(arriving) == 5
    near = [lk.id for lk in diagram.links if target in (lk.source, lk.target)]
    for link in arriving:
        spot = drawn[link.id].sign_pos
        own = _distance(spot, drawn[link.id])
        nearest = min(_distance(spot, drawn[o]) for o in near if o != link.id)
        assert nearest >= own + 12, (link.source, own, nearest)
        for other in arriving:
            if other.id != link.id:
                assert math.dist(spot, drawn[other.id].sign_pos) >= SIGN_CLEAR
