"""What a new user saw overlap on the canvas, driven through the real canvas: a new link's sign
drawn on its crossing with another link (beside that link's delay mark), so that it read as the
other link's; a loop label renamed to a longer name left crossing links; What If badges drawn
on the signs of the links arriving at their variables; a bend handle drawn away from where it
was released."""

from __future__ import annotations

import math

import numpy as np
import pytest
from canvas_helpers import make_canvas
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from window_helpers import window_showing

from cld_editor.core import edits
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.layout.label_place import CLEARANCE
from cld_editor.ui.drawing import overlay_places
from cld_editor.ui.drawing.geometry import LinkGeometry
from cld_editor.ui.drawing.sign_places import link_segments
from cld_editor.ui.story import whatif_paint
from cld_editor.ui.story.whatif_mode import WhatIfOverlay, badges_at
from cld_editor.ui.window.panels import loop_label_edits

ALT = Qt.KeyboardModifier.AltModifier


def service_chain() -> Diagram:
    """The new user's CX-EX service profit chain (positions and bends as they drew them)."""
    spots = {
        "v1": ("Employee engagement", -239, -284),
        "v2": ("Service quality", 31, -374),
        "v3": ("Customer satisfaction", 271, -284),
        "v4": ("Revenue", 271, -54),
        "v5": ("Investment in employees", 31, 76),
        "v6": ("Workload", -169, -54),
        "v7": ("Burnout", -239, 156),
        "v8": ("Customer churn", 291, 156),
    }
    ends = [
        ("v1", "v2", "+", False, 0.2),
        ("v2", "v3", "+", False, 0.2),
        ("v3", "v4", "+", False, 0.2),
        ("v4", "v5", "+", True, 0.347),
        ("v5", "v1", "+", False, 0.3),
        ("v3", "v8", "-", False, 0.2),
        ("v8", "v4", "-", False, 0.2),
        ("v4", "v6", "+", False, 0.2),
        ("v6", "v7", "+", False, 0.2),
        ("v7", "v1", "-", False, 0.2),
        ("v5", "v6", "?", False, 0.2),
    ]
    return Diagram(
        variables=[Variable(id=i, label=n, x=x, y=y) for i, (n, x, y) in spots.items()],
        links=[
            Link(id=f"l{k}", source=s, target=t, polarity=p, delay=d, curvature=c)
            for k, (s, t, p, d, c) in enumerate(ends, start=1)
        ],
    )


def _crossings(g: LinkGeometry, h: LinkGeometry) -> list[tuple[float, float]]:
    """Where two links' lines cross."""
    out = []
    for ax, ay, bx, by in link_segments(g):
        for cx, cy, dx, dy in link_segments(h):
            rx, ry, sx, sy = bx - ax, by - ay, dx - cx, dy - cy
            den = rx * sy - ry * sx
            if abs(den) < 1e-12:
                continue
            t = ((cx - ax) * sy - (cy - ay) * sx) / den
            u = ((cx - ax) * ry - (cy - ay) * rx) / den
            if 0 <= t <= 1 and 0 <= u <= 1:
                out.append((ax + t * rx, ay + t * ry))
    return out


def _distance(p, g: LinkGeometry) -> float:
    segments = link_segments(g)
    a, b = segments[:, :2], segments[:, 2:]
    d = b - a
    t = np.clip(((np.array(p) - a) * d).sum(1) / np.maximum((d * d).sum(1), 1e-12), 0, 1)
    return float(np.min(np.hypot(*(a + t[:, None] * d - p).T)))


def test_a_new_links_sign_is_not_drawn_on_its_crossing_with_another_link(qtbot) -> None:
    c = make_canvas(qtbot, service_chain())
    burnout = c.scene.item_for("v7").box()
    churn = c.scene.item_for("v8").box()
    # Select tool: from Burnout's right edge to Customer churn.
    c.drag((burnout.cx + burnout.hw - 2, burnout.cy), (churn.cx, churn.cy))
    link = c.doc.link_between("v7", "v8")
    assert link is not None
    layout = c.scene._projection.layout
    mine = layout.geometry(link.id)
    sign = mine.sign_pos
    own = _distance(sign, mine)
    for other in c.doc.links:
        if other == link.id:
            continue
        g = layout.geometry(other)
        # Nearer its own link than any other, by a margin the eye sees, and clear of the
        # other's line by more than the glyph's size.
        assert _distance(sign, g) > max(own + 7, 14), other
        # Not next to where the two cross (there, beside the other's delay mark, it read
        # as the other's).
        for point in _crossings(mine, g):
            assert math.dist(sign, point) >= 20, other


BURNOUT_BRAKE = ["v1", "v2", "v3", "v4", "v6", "v7"]
VIRTUOUS_CYCLE = ["v1", "v2", "v3", "v4", "v5"]


def _show(c, members: list[str], name: str | None = None) -> str:
    """Show Loop Label (where the panel puts it); the new label's id."""
    x, y = overlay_places.loop_label_position(c.doc.diagram, members, name)
    before = set(c.doc.loop_labels)
    c.scene.push(edits.show_loop_label(c.doc, members, x, y, name))
    return next(i for i in c.doc.loop_labels if i not in before)


def _covered(diagram: Diagram, label_id: str) -> int:
    """How many variables, links, signs and other labels the label covers as drawn."""
    label = next(lab for lab in diagram.loop_labels if lab.id == label_id)
    scene = overlay_places._Scene(diagram, label.loop, label.name, label_id)
    box = overlay_places._moved(scene.extent, (label.x, label.y))
    return scene.obstacles.hits(box, CLEARANCE)


def test_a_loop_label_renamed_to_a_longer_name_moves_clear_in_the_same_step(
    qtbot, monkeypatch
) -> None:
    c = make_canvas(qtbot, service_chain())
    _show(c, VIRTUOUS_CYCLE, "Virtuous cycle")
    # Show Loop Label: placed where "B1" alone fits (outside the virtuous cycle's loop).
    label_id = _show(c, BURNOUT_BRAKE)
    x, y = c.doc.loop_labels[label_id].x, c.doc.loop_labels[label_id].y
    assert _covered(c.doc.diagram, label_id) == 0
    # The longer caption, at that spot, would cross links (what the user saw).
    renamed = c.doc.loop_labels[label_id].model_copy(update={"name": "Burnout brake"})
    labels = [lab if lab.id != label_id else renamed for lab in c.doc.diagram.loop_labels]
    assert _covered(c.doc.diagram.model_copy(update={"loop_labels": labels}), label_id)
    # Rename… (the real dialog path, the dialog answered).
    monkeypatch.setattr(
        loop_label_edits.QInputDialog, "getText", lambda *a, **k: ("Burnout brake", True)
    )
    steps = c.stack.count()
    assert loop_label_edits.ask_loop_label_name(c.view, c.doc, c.scene.push, label_id, "B1")
    label = c.doc.loop_labels[label_id]
    assert label.name == "Burnout brake"
    assert (label.x, label.y) != (x, y)
    assert _covered(c.doc.diagram, label_id) == 0
    assert c.stack.count() == steps + 1  # one undoable edit
    c.stack.undo()
    label = c.doc.loop_labels[label_id]
    assert (label.name, label.x, label.y) == (None, x, y)


def test_a_renamed_label_with_room_for_its_new_name_stays_put(qtbot) -> None:
    c = make_canvas(qtbot, service_chain())
    _show(c, VIRTUOUS_CYCLE, "Virtuous cycle")
    label_id = _show(c, BURNOUT_BRAKE, "Burnout brake")
    x, y = c.doc.loop_labels[label_id].x, c.doc.loop_labels[label_id].y
    c.scene.push(loop_label_edits.rename_loop_label_op(c.doc, label_id, "Brake"))
    label = c.doc.loop_labels[label_id]
    assert (label.name, label.x, label.y) == ("Brake", x, y)


def test_what_if_badges_cover_no_sign(qtbot, monkeypatch, tmp_path) -> None:
    """Story > What If…, Employee engagement falls, stepped forward: every badge on the
    canvas covers no polarity sign or delay mark (at Revenue and Burnout they hid a "+"), and
    if it can, no arrowhead or line."""
    window = window_showing(qtbot, monkeypatch, tmp_path, service_chain())
    try:
        window.scene.select_ids(["v1"])
        window.story.open_whatif()
        bar, controller = window.story.bar, window.story.controller
        bar.direction.setCurrentIndex(bar.direction.findText("falls", Qt.MatchFlag.MatchStartsWith))
        bar.restart()
        for _ in range(6):
            controller.step_forward()
        overlay = next(i for i in window.scene.items() if isinstance(i, WhatIfOverlay))
        badges = badges_at(controller.run, controller.step)
        assert {"v4", "v7"} <= set(badges)  # Revenue and Burnout among them
        layout = window.scene._projection.layout
        for variable_id in badges:
            centre = overlay._places.centre(variable_id)
            at = (centre.x(), centre.y())
            for link_id, link in window.document.links.items():
                g = layout.geometry(link_id)
                room = whatif_paint.BADGE_RADIUS + 2 + whatif_paint.GLYPH_ROOM
                assert math.dist(at, g.sign_pos) >= room, (variable_id, link_id)
                if link.delay:
                    assert math.dist(at, g.mid) >= room, (variable_id, link_id)
                assert min(math.dist(at, p) for p in g.arrow) >= whatif_paint.BADGE_RADIUS
    finally:
        window.shutdown()


def test_a_dragged_bend_handle_stays_under_the_mouse_and_grabs_again_without_a_jump(
    qtbot,
) -> None:
    c = make_canvas(qtbot, service_chain())
    layout = c.scene._projection.layout
    c.scene.select_ids(["l4"])  # Revenue -> Investment in employees, delayed
    hx, hy = layout.geometry("l4").handle
    release = (hx - 40, hy + 20)  # off the arc's middle, along it and out
    c.drag((hx, hy), release)
    g = layout.geometry("l4")
    assert math.dist(g.handle, release) < 1.0  # (it was drawn 45 units away)
    assert _distance(release, g) < 1.0  # the arc runs through where it was released
    assert c.stack.count() == 1
    bent = c.doc.links["l4"].curvature
    # Grabbed again a little off its centre and let go without moving: nothing changes.
    grab = (g.handle[0] + 3, g.handle[1] - 2)
    QTest.mousePress(c.port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, c.at(*grab))
    QTest.mouseMove(c.port, c.at(grab[0] + 0.4, grab[1]))
    QTest.mouseMove(c.port, c.at(*grab))
    assert math.dist(layout.geometry("l4").handle, g.handle) < 1.0  # no jump while held
    QTest.mouseRelease(
        c.port, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, c.at(*grab)
    )
    assert c.doc.links["l4"].curvature == pytest.approx(bent, abs=2e-3)
    # And dragged on from there: the handle follows the mouse.
    hx, hy = layout.geometry("l4").handle
    c.drag((hx, hy), (hx + 10, hy + 25))
    assert math.dist(layout.geometry("l4").handle, (hx + 10, hy + 25)) < 1.0
    c.stack.undo()
    c.stack.undo()
    assert c.doc.links["l4"].curvature == 0.347
