"""What-if propagation: hand-checked runs on every example diagram, the rules one by one (a
``?`` link, a delayed link, disagreeing arrivals), the JSON shape, the default number of steps,
an independent oracle on random diagrams and the loop property (after exactly a simple loop's
trip round, its start receives along the loop a change with the loop's polarity)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.analysis.whatif import (
    UnknownVariable,
    default_steps,
    loop_travel_steps,
    propagate,
    resolve_variable,
)
from cld_editor.core.model import Diagram, Link, Variable
from cld_editor.formats.native import load_diagram

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
UNLIMITED = Budget(max_loops=None, max_length=None, time_limit=None, max_members=None)


def example(name: str) -> Diagram:
    return load_diagram(EXAMPLES / f"{name}.cld.json")


def table(diagram: Diagram, start: str, direction: str, steps: int) -> list[list[str]]:
    """Each step as ["variable direction", ...] in document order."""
    run = propagate(diagram, start, direction, steps)  # type: ignore[arg-type]
    return [[f"{c.variable} {c.direction}" for c in step.changes] for step in run.steps]


def make(links: list[tuple[str, str, str, bool]], order: list[str] | None = None) -> Diagram:
    names = order or list(dict.fromkeys(n for s, t, _p, _d in links for n in (s, t)))
    return Diagram(
        variables=[Variable(id=n, x=0.0, y=0.0) for n in names],
        links=[
            Link(id=f"l{k}", source=s, target=t, polarity=p, delay=d)
            for k, (s, t, p, d) in enumerate(links, start=1)
        ],
    )


# -- every example, worked out by hand from the rules -------------------------------------------
HAND_CHECKED = {
    ("limits-to-growth", "growing", "up"): [
        ["performance up"],
        ["growing up"],
        ["performance up", "slowing up"],
        ["growing up", "performance down"],
        ["growing down", "performance up", "slowing up"],
    ],
    ("limits-to-growth", "performance", "up"): [
        ["growing up"],
        ["performance up", "slowing up"],
        ["growing up", "performance down"],
    ],
    ("fixes-that-fail", "problem", "up"): [
        ["fix up"],
        ["problem down"],
        ["fix down", "consequence up"],
        ["problem up"],
        ["fix up", "consequence down"],
        ["problem down"],
    ],
    ("shifting-the-burden", "problem", "up"): [
        ["symptomatic up", "fundamental up"],
        ["problem down", "side up"],
        ["problem down", "symptomatic down", "fundamental down"],
        ["problem up", "symptomatic down", "fundamental down", "side down"],
    ],
    ("eroding-goals", "gap", "up"): [
        ["pressure up", "action up"],
        ["goal down"],
        ["gap down", "condition up"],
        ["gap down", "pressure down", "action down"],
    ],
    ("escalation", "activity_a", "up"): [
        [],
        ["results_a up"],
        ["relative up"],
        ["activity_a down", "activity_b up"],
        [],
        ["results_a down", "results_b up"],
        ["relative down"],
    ],
    ("success-to-the-successful", "allocation", "up"): [
        ["resources_a up", "resources_b down"],
        ["success_a up", "success_b down"],
        ["allocation up"],
        ["resources_a up", "resources_b down"],
    ],
    ("tragedy-of-the-commons", "activity_a", "up"): [
        ["gains_a up", "total up"],
        ["activity_a up"],
        ["gains_a up", "total up", "per_unit down"],
        ["activity_a up", "gains_a down", "gains_b down"],
        ["activity_a down", "gains_a up", "total up", "per_unit down", "activity_b down"],
    ],
    ("growth-and-underinvestment", "demand", "up"): [
        ["growing up"],
        ["demand up", "performance down"],
        ["growing up", "demand down", "need up"],
        ["growing down", "demand up", "performance down", "investment up"],
    ],
    ("experience-iceberg", "loyalty", "down"): [
        ["workload down"],
        ["effort down", "leadership down"],
        ["satisfaction up", "training down", "tools down", "culture down"],
        ["service down", "effort up", "loyalty up", "engagement down", "workload up"],
    ],
    ("experience-loop", "engagement", "down"): [
        ["service down"],
        ["satisfaction down"],
        ["loyalty down"],
        ["revenue down", "demand down"],
        ["workload down"],
        ["investment down"],
        ["burnout down"],
        ["engagement unknown", "turnover down"],
    ],
}


@pytest.mark.parametrize("case", list(HAND_CHECKED), ids=lambda c: f"{c[0]}:{c[1]}:{c[2]}")
def test_every_example_matches_the_hand_worked_steps(case: tuple[str, str, str]) -> None:
    name, start, direction = case
    want = HAND_CHECKED[case]
    assert table(example(name), start, direction, len(want)) == want


def test_every_example_is_hand_checked() -> None:
    names = {path.name.removesuffix(".cld.json") for path in EXAMPLES.glob("*.cld.json")}
    assert names == {name for name, _s, _d in HAND_CHECKED}


def test_the_doom_loop_returns_a_fall_and_the_workload_loop_the_opposite() -> None:
    """Engagement falls: after the virtuous cycle's trip (6 links, 2 delayed: 8 steps) the fall
    comes back along investment -> engagement, while the workload squeeze (7 links, 1 delayed:
    also 8 steps) brings a rise along burnout -> engagement; engagement is unknown at step 8."""
    diagram = example("experience-loop")
    run = propagate(diagram, "engagement", "down", 8)
    into = {p.link: p.direction for p in run.steps[7].arrivals if p.target == "engagement"}
    assert into == {"l6": "down", "l10": "up"}
    assert run.changes_at(8)["engagement"] == "unknown"
    loops = {loop.name: loop for loop in find_loops(diagram).loops}
    assert loop_travel_steps(loops["R2"], diagram) == 8  # the virtuous cycle / doom loop
    assert loop_travel_steps(loops["B1"], diagram) == 8  # the workload squeeze


def test_a_question_mark_link_passes_an_unknown_change() -> None:
    diagram = make([("a", "b", "?", False), ("b", "c", "-", False)])
    assert table(diagram, "a", "up", 3) == [["b unknown"], ["c unknown"], []]


def test_a_delayed_link_delivers_one_step_later() -> None:
    diagram = make([("a", "b", "+", True), ("a", "c", "-", False), ("c", "d", "+", True)])
    assert table(diagram, "a", "down", 4) == [["c up"], ["b down"], ["d up"], []]
    run = propagate(diagram, "a", "down", 4)
    delayed = next(p for p in run.pulses if p.link == "l1")
    assert (delayed.sent, delayed.arrives) == (0, 2)
    assert delayed in run.in_flight(1) and delayed in run.in_flight(2)


def test_disagreeing_arrivals_make_a_variable_unknown_for_that_step_only() -> None:
    # b and c both change at step 1 and reach d at step 2 with opposite signs.
    diagram = make(
        [
            ("a", "b", "+", False),
            ("a", "c", "+", False),
            ("b", "d", "+", False),
            ("c", "d", "-", False),
            ("a", "e", "+", True),
            ("e", "d", "+", False),
        ]
    )
    assert table(diagram, "a", "up", 4) == [
        ["b up", "c up"],
        ["d unknown", "e up"],
        ["d up"],
        [],
    ]


def test_agreeing_arrivals_keep_their_direction_and_an_unknown_one_spoils_them() -> None:
    a_b, b_d = ("a", "b", "+", False), ("b", "d", "+", False)
    agree = make([a_b, ("a", "c", "-", False), b_d, ("c", "d", "-", False)])
    assert table(agree, "a", "up", 2)[1] == ["d up"]
    spoiled = make([a_b, ("a", "c", "?", False), b_d, ("c", "d", "+", False)])
    assert table(spoiled, "a", "up", 2)[1] == ["d unknown"]


def test_json_is_exactly_the_documented_shape() -> None:
    diagram = make([("a", "b", "-", False), ("b", "a", "+", True)])
    run = propagate(diagram, "a", "up", 4)
    assert run.to_json() == {
        "start": {"variable": "a", "direction": "up"},
        "steps": [
            {"step": 1, "changes": [{"variable": "b", "direction": "down"}]},
            {"step": 2, "changes": []},
            {"step": 3, "changes": [{"variable": "a", "direction": "down"}]},
            {"step": 4, "changes": [{"variable": "b", "direction": "up"}]},
        ],
    }


def test_default_steps_is_twice_the_longest_loop_at_most_50() -> None:
    diagram = example("experience-loop")
    assert default_steps(diagram, "engagement", "down") == 16  # longest trip: 8 steps
    ring = make([(str(i), str(i + 1), "+", False) for i in range(39)] + [("39", "0", "+", False)])
    assert default_steps(ring, "0", "up") == 50
    chain = make([("a", "b", "+", False), ("b", "c", "+", True)])
    assert default_steps(chain, "a", "up") == 3  # no loop: until the change has died out
    alone = make([], order=["a"])
    assert default_steps(alone, "a", "up") == 1


def test_variables_are_found_by_id_or_unique_label() -> None:
    diagram = example("experience-loop")
    assert resolve_variable(diagram, "engagement") == "engagement"
    assert resolve_variable(diagram, "Employee engagement") == "engagement"
    assert resolve_variable(diagram, "employee  ENGAGEMENT") == "engagement"
    with pytest.raises(UnknownVariable) as info:
        resolve_variable(diagram, "engagment")
    assert "Employee engagement (engagement)" in info.value.matches
    twins = Diagram(
        variables=[
            Variable(id="a", label="Sales", x=0, y=0),
            Variable(id="b", label="Sales", x=0, y=0),
        ]
    )
    with pytest.raises(UnknownVariable, match="label of 2 variables"):
        resolve_variable(twins, "Sales")


def test_bad_arguments_are_refused() -> None:
    diagram = make([("a", "b", "+", False)])
    with pytest.raises(ValueError):
        propagate(diagram, "zz", "up", 3)
    with pytest.raises(ValueError):
        propagate(diagram, "a", "sideways", 3)  # type: ignore[arg-type]


# -- random diagrams ----------------------------------------------------------------------------
@st.composite
def random_diagrams(draw: st.DrawFn) -> Diagram:
    n = draw(st.integers(1, 6))
    names = [chr(ord("a") + i) for i in range(n)]
    pairs = [(s, t) for s in names for t in names]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3 * n))
    links = [(s, t, draw(st.sampled_from("++--?")), draw(st.booleans())) for s, t in chosen]
    return make(links, order=draw(st.permutations(names)))


def oracle(diagram: Diagram, start: str, direction: str, steps: int) -> list[dict[str, str]]:
    """The rules restated over sets: the set of directions every walk of exactly t steps from
    the start brings to a variable (a '?' link contributes '?'); a single direction is that
    change, more than one or a '?' is unknown."""
    flip = {"up": "down", "down": "up", "?": "?"}
    reach: list[dict[str, set[str]]] = [{start: {direction}}]
    for t in range(1, steps + 1):
        now: dict[str, set[str]] = {}
        for link in diagram.links:
            sent = t - (2 if link.delay else 1)
            if sent < 0:
                continue
            for d in reach[sent].get(link.source, ()):
                passed = "?" if link.polarity == "?" else flip[d] if link.polarity == "-" else d
                now.setdefault(link.target, set()).add(passed)
        reach.append(now)
    return [
        {v: next(iter(s)) if len(s) == 1 and "?" not in s else "unknown" for v, s in r.items()}
        for r in reach[1:]
    ]


@settings(max_examples=300, deadline=None)
@given(random_diagrams(), st.sampled_from(["up", "down"]), st.integers(0, 10), st.data())
def test_propagation_agrees_with_the_walk_oracle(diagram, direction, steps, data) -> None:
    start = data.draw(st.sampled_from([v.id for v in diagram.variables]))
    run = propagate(diagram, start, direction, steps)
    assert len(run.steps) == steps
    got = [{c.variable: c.direction for c in step.changes} for step in run.steps]
    assert got == oracle(diagram, start, direction, steps)
    order = [v.id for v in diagram.variables]
    for step in run.steps:
        ids = [c.variable for c in step.changes]
        assert ids == sorted(ids, key=order.index)


EXPECTED = {
    ("reinforcing", "up"): "up",
    ("reinforcing", "down"): "down",
    ("balancing", "up"): "down",
    ("balancing", "down"): "up",
}


@settings(max_examples=300, deadline=None)
@given(random_diagrams(), st.sampled_from(["up", "down"]), st.data())
def test_a_loop_brings_its_polarity_back_to_its_start(diagram, direction, data) -> None:
    """After exactly a simple loop's trip, its start receives a change along the loop's closing
    link. Other paths can meet the loop on the way; a variable that receives disagreeing
    changes becomes unknown, so the change is the loop's polarity or unknown, never the
    opposite, and it is exactly the polarity when every loop member's arrivals agreed."""
    loops = [
        loop for loop in find_loops(diagram, UNLIMITED).loops if loop.polarity != "undetermined"
    ]
    if not loops:
        return
    loop = data.draw(st.sampled_from(loops))
    at = data.draw(st.integers(0, loop.length - 1))
    start = loop.variables[at]
    members = loop.variables[at:] + loop.variables[:at]
    trip = loop_travel_steps(loop, diagram)
    run = propagate(diagram, start, direction, trip)
    closing = loop.links[at - 1]
    arrived = [p for p in run.steps[trip - 1].arrivals if p.link == closing]
    assert len(arrived) == 1
    want = EXPECTED[(loop.polarity, direction)]
    assert arrived[0].direction in (want, "unknown")
    delays = {link.id: link.delay for link in diagram.links}
    t, clean = 0, True
    links_from = loop.links[at:] + loop.links[:at]
    for member, link_id in zip(members[1:], links_from[:-1], strict=True):
        t += 2 if delays[link_id] else 1
        clean = clean and run.changes_at(t).get(member) != "unknown"
    if clean:
        assert arrived[0].direction == want


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 8),
    st.data(),
    st.sampled_from(["up", "down"]),
)
def test_a_lone_loop_with_branches_out_returns_exactly_its_polarity(n, data, direction) -> None:
    """A simple loop of random signs and delays, with links out to variables that never come
    back: nothing can disturb the change, so the start receives exactly the polarity."""
    ring = [str(i) for i in range(n)]
    links = [
        (ring[i], ring[(i + 1) % n], data.draw(st.sampled_from("+-")), data.draw(st.booleans()))
        for i in range(n)
    ]
    for i in range(data.draw(st.integers(0, 4))):
        links.append((data.draw(st.sampled_from(ring)), f"x{i}", "-", data.draw(st.booleans())))
    diagram = make(links)
    loop = find_loops(diagram, UNLIMITED).loops[0]
    trip = loop_travel_steps(loop, diagram)
    run = propagate(diagram, "0", direction, trip)
    assert run.changes_at(trip)["0"] == EXPECTED[(loop.polarity, direction)]
    # and not earlier: the start changes only when the loop brings the change back
    assert all("0" not in run.changes_at(t) for t in range(1, trip))
