"""What a new user saw overlap on the canvas, driven through the real canvas: a new link's sign
drawn on its crossing with another link (beside that link's delay mark), so that it read as the
other link's."""

from __future__ import annotations

import math

import numpy as np
from canvas_helpers import make_canvas
from PySide6.QtCore import Qt

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.drawing.geometry import LinkGeometry
from cld_editor.ui.drawing.sign_places import link_segments

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
