"""Finding the signs and delay marks an arranged loop label may cover lays out only the
diagram around the labels (:func:`overlay_places._marks_near`), however far apart the labels
are: two labels at opposite corners of a big diagram had the whole of it laid out on the GUI
thread (14 s for 10,000 variables after Arrange or Tidy Up)."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QRectF

from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.ui.drawing import overlay_places
from cld_editor.ui.drawing.overlay_places import MARK_REACH, _areas_around, _marks_near
from cld_editor.ui.drawing.render_diagram import DiagramLayout


def grid(side: int) -> Diagram:
    """``side`` x ``side`` variables 200 apart across and 150 down, each linked to the next
    right and the next down, every seventh link delayed; a link back at each end corner."""
    variables = [
        Variable(id=f"v{r}_{c}", label=f"S {r} {c}", x=c * 200.0, y=r * 150.0)
        for r in range(side)
        for c in range(side)
    ]
    ends = [((r, c), (r, c + 1)) for r in range(side) for c in range(side - 1)]
    ends += [((r, c), (r + 1, c)) for r in range(side - 1) for c in range(side)]
    ends += [((0, 1), (0, 0)), ((side - 1, side - 1), (side - 1, side - 2))]
    links = [
        Link(
            id=f"l{k}",
            source=f"v{a[0]}_{a[1]}",
            target=f"v{b[0]}_{b[1]}",
            delay=k % 7 == 0,
        )
        for k, (a, b) in enumerate(ends)
    ]
    return Diagram(variables=variables, links=links)


def corner_spots(side: int) -> list[tuple[float, float]]:
    return [(100.0, 0.0), ((side - 1.5) * 200.0, (side - 1) * 150.0)]


def laid_out_counts(monkeypatch: pytest.MonkeyPatch, diagram: Diagram, spots) -> list[int]:
    """How many variables each layout _marks_near asks for holds."""
    counts: list[int] = []

    class Counting:
        @staticmethod
        def of(near: Diagram, *args: object) -> DiagramLayout:
            counts.append(len(near.variables))
            return DiagramLayout.of(near, *args)

    monkeypatch.setattr(overlay_places, "DiagramLayout", Counting)
    _marks_near(diagram, spots)
    return counts


def test_labels_far_apart_lay_out_only_what_lies_near_them(qapp, monkeypatch) -> None:
    small = laid_out_counts(monkeypatch, grid(12), corner_spots(12))
    big = laid_out_counts(monkeypatch, grid(40), corner_spots(40))
    # One layout, of the same few variables round the two corners, however big the diagram:
    # not the 1,600 between them.
    assert len(big) == 1
    assert big == small
    assert big[0] < 100


def test_the_marks_near_the_labels_are_those_the_whole_diagram_draws(qapp) -> None:
    diagram = grid(14)
    spots = [*corner_spots(14), (1300.0, 975.0)]
    found = {(round(r.x(), 6), round(r.y(), 6)) for r in _marks_near(diagram, spots)}
    drawn = DiagramLayout.of(diagram, None)
    near = 0
    for link in diagram.links:
        g = drawn.links[link.id].geometry
        centres = [g.sign_pos] + ([g.mid] if link.delay else [])
        for x, y in centres:
            if min(math.dist((x, y), spot) for spot in spots) > MARK_REACH / 2:
                continue
            near += 1
            half_w, half_h = (9.0, 10.0) if (x, y) == g.sign_pos else (9.0, 9.0)
            box = QRectF(x - half_w, y - half_h, 2 * half_w, 2 * half_h)
            assert (round(box.x(), 6), round(box.y(), 6)) in found
    assert near > 20  # the test looked at many marks, delay marks among them


def test_spots_close_together_share_one_area_and_far_ones_do_not() -> None:
    close = _areas_around([(0.0, 0.0), (50.0, 40.0)], 100.0)
    assert close == [(-100.0, -100.0, 150.0, 140.0)]
    far = _areas_around([(0.0, 0.0), (10_000.0, 8_000.0)], 100.0)
    assert sorted(far) == [(-100.0, -100.0, 100.0, 100.0), (9_900.0, 7_900.0, 10_100.0, 8_100.0)]
