"""The bend of a link drawn by hand: the default bow unless that passes over another variable."""

from __future__ import annotations

import math

from cld_editor.core.model import DEFAULT_CURVATURE
from cld_editor.layout.boxes import Grid, rects
from cld_editor.layout.links import arc_points, blocking
from cld_editor.layout.new_link import new_link_bend

SIZES = {k: (120.0, 40.0) for k in ("a", "b", "c", "d")}


def _over(positions, bend: float, ends=("a", "b")) -> set[str]:
    grid = Grid(rects(positions, SIZES), cell=120.0)
    return blocking(arc_points(positions[ends[0]], positions[ends[1]], bend), grid, ends)


def test_a_clear_default_bow_is_kept() -> None:
    positions = {"a": (0.0, 0.0), "b": (400.0, 0.0), "c": (200.0, 300.0)}
    assert not _over(positions, DEFAULT_CURVATURE)
    assert new_link_bend(positions, SIZES, "a", "b", DEFAULT_CURVATURE) == DEFAULT_CURVATURE


def test_a_variable_in_the_way_is_bowed_around() -> None:
    # The default bows left of a -> b (up, y grows downwards): c sits right on that arc.
    positions = {"a": (0.0, 0.0), "b": (400.0, 0.0), "c": (200.0, -80.0)}
    assert _over(positions, DEFAULT_CURVATURE) == {"c"}
    bend = new_link_bend(positions, SIZES, "a", "b", DEFAULT_CURVATURE)
    assert bend != DEFAULT_CURVATURE and not _over(positions, bend)


def test_the_bow_keeps_apart_from_the_link_back() -> None:
    positions = {"a": (0.0, 0.0), "b": (400.0, 0.0), "c": (200.0, -80.0)}
    straight_back = 0.0
    bend = new_link_bend(positions, SIZES, "a", "b", DEFAULT_CURVATURE, partner=straight_back)
    assert not _over(positions, bend)
    assert abs(bend) >= 0.08 and abs(bend + straight_back) >= 0.2


def test_no_bend_clears_so_the_default_stays() -> None:
    # b sits inside a ring of boxes tight around it: every arc to it crosses one.
    positions = {"a": (0.0, 0.0), "b": (400.0, 0.0)}
    sizes = dict(SIZES)
    for k in range(16):
        key = f"r{k}"
        positions[key] = (400 + 110 * math.cos(k * math.pi / 8), 110 * math.sin(k * math.pi / 8))
        sizes[key] = (70.0, 70.0)
    assert new_link_bend(positions, sizes, "a", "b", DEFAULT_CURVATURE) == DEFAULT_CURVATURE


def test_with_only_its_two_ends_a_new_link_still_keeps_apart_from_its_link_back() -> None:
    positions = {"a": (0.0, 0.0), "b": (400.0, 0.0)}
    # The link back bent by -0.2 lies just where a new link bent by 0.2 would go.
    bend = new_link_bend(positions, SIZES, "a", "b", DEFAULT_CURVATURE, partner=-0.2)
    assert abs(bend) >= 0.08 and abs(bend + -0.2) >= 0.2
    assert new_link_bend(positions, SIZES, "a", "b", DEFAULT_CURVATURE, partner=0.2) == (
        DEFAULT_CURVATURE
    )
