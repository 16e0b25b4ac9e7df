"""The untangling step of the Loops and Iceberg styles (cld_editor.layout.untangle) on generated
diagrams: loops with trees and chains of auxiliaries hanging off them. It never crosses more
links, as drawn, never leaves a link over a variable or two boxes closer than the gap, never
draws a loop out of shape that was round, moves only what it may, and gives the same result for
the same input; on seeded diagrams it takes crossings out."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layout_strategies import diagrams

from cld_editor.core.model import Diagram
from cld_editor.layout import metrics
from cld_editor.layout.boxes import GAP, diagram_sizes, overlapping_pairs, rects
from cld_editor.layout.cycles import chosen_loops
from cld_editor.layout.finish import finish, moved_to
from cld_editor.layout.styles import style_positions
from cld_editor.layout.untangle import untangle

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _hanging(rng: random.Random, n_loops: int, n_hanging: int) -> Diagram:
    """Loops of 3 to 8 variables joined at shared variables or by a link, and trees and
    chains of constants and auxiliaries hanging off them (links in either direction)."""
    pairs: list[tuple[int, int]] = []
    made = 0
    for k in range(n_loops):
        size = rng.randint(3, 8)
        new = size - 1 if k else size
        ring = list(range(made, made + new))
        if k:
            ring.insert(0, rng.randrange(made))  # shares a variable with what is made
        made += new
        pairs += [(ring[i], ring[(i + 1) % size]) for i in range(size)]
    for _ in range(n_loops // 2):  # links across loops
        pairs.append((rng.randrange(made), rng.randrange(made)))
    for _ in range(n_hanging):
        # A constant or an auxiliary: linked to one or two of what is made (loops or what
        # hangs off them, so trees and chains grow).
        for anchor in rng.sample(range(made), min(made, rng.choice((1, 1, 2)))):
            pairs.append((made, anchor) if rng.random() < 0.6 else (anchor, made))
        made += 1
    words = ["effect of workload", "cost", "staff", "normal delivery time", "x", "revenue"]
    return Diagram.model_validate(
        {
            "variables": [
                {"id": f"v{i}", "label": f"{rng.choice(words)} {i}", "x": 0, "y": 0}
                for i in range(made)
            ],
            "links": [
                {"source": f"v{a}", "target": f"v{b}", "polarity": "+"}
                for a, b in dict.fromkeys(pairs)
                if a != b
            ],
        }
    )


def _finished(diagram: Diagram):
    """The Loops style's layout of ``diagram``, finished, before any untangling."""
    sizes = diagram_sizes(diagram)
    members = [v.id for v in diagram.variables]
    loops = chosen_loops(diagram)
    made = moved_to(style_positions("loops", diagram, members, sizes, 0), sizes, (0.0, 0.0))
    pos, bends = finish("loops", diagram, made, sizes, members, loops, {}, None)
    return pos, bends, sizes, members, loops


def _measures(diagram: Diagram, pos, bends, sizes, loops) -> tuple[int, int, int, float]:
    flat = {link.id: link.curvature for link in diagram.links} | bends
    return (
        metrics.overlaps(pos, sizes),
        metrics.links_over_variables(diagram, pos, sizes, flat),
        metrics.crossings(diagram, pos, sizes, flat),
        metrics.convex_share(loops, pos),
    )


@st.composite
def hanging_diagrams(draw) -> Diagram:
    seed = draw(st.integers(0, 10_000))
    loops = draw(st.integers(1, 6))
    hanging = draw(st.integers(1, 24))
    return _hanging(random.Random(seed), loops, hanging)


@SETTINGS
@given(st.one_of(hanging_diagrams(), diagrams(max_variables=14, domains=False)))
def test_untangling_never_makes_a_layout_worse(diagram: Diagram) -> None:
    pos, bends, sizes, members, loops = _finished(diagram)
    before = _measures(diagram, pos, bends, sizes, loops)
    after_pos, after_bends = untangle(diagram, dict(pos), dict(bends), sizes, members, loops)
    after = _measures(diagram, after_pos, after_bends, sizes, loops)
    assert after[0] == 0
    assert not overlapping_pairs(rects(after_pos, sizes), GAP - 0.5)
    assert after[1] <= before[1]
    assert after[2] <= before[2]
    for loop in loops:  # a loop drawn round stays round
        if metrics.convex([pos[v] for v in loop]):
            assert metrics.convex([after_pos[v] for v in loop]), loop
    assert set(after_pos) == set(pos)
    # Same input, same output.
    again = untangle(diagram, dict(pos), dict(bends), sizes, members, loops)
    assert again == (after_pos, after_bends)


@SETTINGS
@given(hanging_diagrams(), st.data())
def test_untangling_moves_only_members_and_keeps_bands(diagram: Diagram, data) -> None:
    pos, bends, sizes, _, loops = _finished(diagram)
    ids = [v.id for v in diagram.variables]
    members = data.draw(st.lists(st.sampled_from(ids), unique=True, min_size=3, max_size=len(ids)))
    middle = sorted(y for _, y in pos.values())[len(pos) // 2]
    limits = {v: ((-1e9, middle) if pos[v][1] <= middle else (middle, 1e9)) for v in members}
    after, _ = untangle(diagram, dict(pos), dict(bends), sizes, members, loops, limits=limits)
    for v in ids:
        if v not in members:
            assert after[v] == pos[v], v
        else:
            low, high = limits[v]
            assert low <= after[v][1] <= high, v


def test_untangling_takes_crossings_out_of_generated_diagrams() -> None:
    """Over a few seeded diagrams with much hanging off their loops, the step crosses fewer
    links in all, and never more on any one."""
    total_before = total_after = 0
    for seed in range(6):
        diagram = _hanging(random.Random(seed), 6, 30)
        pos, bends, sizes, members, loops = _finished(diagram)
        before = _measures(diagram, pos, bends, sizes, loops)
        after_pos, after_bends = untangle(diagram, pos, bends, sizes, members, loops)
        after = _measures(diagram, after_pos, after_bends, sizes, loops)
        assert after[2] <= before[2], seed
        assert after[3] >= before[3], seed
        total_before += before[2]
        total_after += after[2]
    assert total_after < total_before


def test_a_diagram_with_nothing_off_its_loops_is_left_alone() -> None:
    """Every variable on a drawn cycle: nothing hangs off, nothing moves (and nothing is
    spent on it)."""
    diagram = _hanging(random.Random(3), 4, 0)
    pos, bends, sizes, members, loops = _finished(diagram)
    assert {v for loop in loops for v in loop} == set(members)
    assert untangle(diagram, pos, bends, sizes, members, loops) == (pos, bends)
