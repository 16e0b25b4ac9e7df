"""The bend of a link drawn by hand: the default bow unless that passes over another variable."""

from __future__ import annotations

import math

from cld_editor.core.model import DEFAULT_CURVATURE
from cld_editor.layout.boxes import Grid, rects
from cld_editor.layout.links import arc_points, blocking
from cld_editor.layout.new_link import new_link_bend

SIZES = {k: (120.0, 40.0) for k in ("a", "b", "c", "d")}


def _over(positions, bend: float, ends=("a", "b"), sizes=SIZES) -> set[str]:
    grid = Grid(rects(positions, sizes), cell=120.0)
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


def test_a_long_link_does_not_bow_out_further_than_max_sag() -> None:
    """Across a big model, the bow that clears a crowd of boxes on the way could stand out
    thousands of units (a curve as wide as the diagram): no bend past MAX_SAG is tried, and
    the link keeps the default when none within it clears every box."""
    from cld_editor.layout.new_link import MAX_SAG

    positions = {"a": (0.0, 0.0), "b": (6000.0, 0.0)}
    sizes = dict(SIZES)
    # A wall of boxes across the middle, past the default bow each way from the line: only a
    # bow standing out some 1,500 units would clear it.
    for k in range(-24, 25):
        positions[f"w{k}"] = (3000.0, 60.0 * k)
        sizes[f"w{k}"] = (120.0, 40.0)
    assert _over(positions, DEFAULT_CURVATURE, sizes=sizes)
    bend = new_link_bend(positions, sizes, "a", "b", DEFAULT_CURVATURE)
    assert bend == DEFAULT_CURVATURE
    # Boxes nearer the line are still bowed around, within MAX_SAG.
    near = {"a": (0.0, 0.0), "b": (6000.0, 0.0), "c": (3000.0, -DEFAULT_CURVATURE * 6000.0)}
    sizes = {**SIZES, "c": (120.0, 40.0)}
    assert _over(near, DEFAULT_CURVATURE) == {"c"}
    bend = new_link_bend(near, sizes, "a", "b", DEFAULT_CURVATURE)
    assert bend != DEFAULT_CURVATURE and not _over(near, bend)
    assert abs(bend) * 6000.0 <= MAX_SAG + 1e-9 or bend == DEFAULT_CURVATURE
