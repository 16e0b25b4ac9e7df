"""What-if captions, worked out by hand on small diagrams: the first return of the start's
change says how many steps it took and which loop brought it back; a later return names the
earlier change it brings back (and the shortest loop that did) instead of counting steps from
the start; a trip with a detour round another loop names both; ``?`` links and changes pulled
both ways; the example diagram's captions."""

from __future__ import annotations

from pathlib import Path

from cld_editor.analysis.loops import find_loops
from cld_editor.analysis.whatif import propagate
from cld_editor.analysis.whatif_caption import caption, return_sentence
from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.formats.native import load_diagram

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def make(
    links: list[tuple[str, str, str]], names: dict[tuple[str, ...], str] | None = None
) -> Diagram:
    """Variables named by their labels (in order of appearance), links in the order given,
    loop labels naming the loops in ``names`` (keyed by their variables in order)."""
    labels = list(dict.fromkeys(n for s, t, _p in links for n in (s, t)))
    return Diagram(
        variables=[Variable(id=n.lower(), label=n, x=0.0, y=0.0) for n in labels],
        links=[
            Link(id=f"l{k}", source=s.lower(), target=t.lower(), polarity=p)
            for k, (s, t, p) in enumerate(links, start=1)
        ],
        loop_labels=[
            LoopLabel(id=f"loop{k}", loop=[n.lower() for n in loop], x=0.0, y=0.0, name=name)
            for k, (loop, name) in enumerate((names or {}).items(), start=1)
        ],
    )


def captions(diagram: Diagram, start: str, direction: str, steps: int) -> list[str]:
    run = propagate(diagram, start, direction, steps)  # type: ignore[arg-type]
    loops = find_loops(diagram).loops
    return [caption(run, t, diagram, loops) for t in range(steps + 1)]


def test_one_reinforcing_loop_first_return_counts_steps_later_ones_name_the_change() -> None:
    diagram = make(
        [("Sales", "Buzz", "+"), ("Buzz", "Visits", "+"), ("Visits", "Sales", "+")],
        {("Sales", "Buzz", "Visits"): "Word of mouth"},
    )
    assert captions(diagram, "sales", "down", 6) == [
        "Suppose Sales falls.",
        "Step 1: Buzz falls.",
        "Step 2: Visits falls.",
        "Sales falls again after 3 steps: R1 Word of mouth reinforces the fall — a doom loop.",
        "Step 4: Buzz falls.",
        "Step 5: Visits falls.",
        "Sales falls again: R1 Word of mouth brings back the fall of step 3.",
    ]
    rises = captions(diagram, "sales", "up", 3)
    assert rises[3] == (
        "Sales rises again after 3 steps: R1 Word of mouth reinforces the rise — a virtuous cycle."
    )


def test_one_balancing_loop_pushes_back_against_the_last_change_each_time() -> None:
    diagram = make(
        [("Stock", "Price", "+"), ("Price", "Orders", "-"), ("Orders", "Stock", "+")],
        {("Stock", "Price", "Orders"): "Market"},
    )
    shown = captions(diagram, "stock", "up", 9)
    assert shown[1] == "Step 1: Price rises."
    assert shown[2] == "Step 2: Orders falls."
    assert shown[3] == "Stock falls after 3 steps: B1 Market pushes back against the rise."
    assert shown[6] == "Stock rises again: B1 Market pushes back against the fall of step 3."
    assert shown[9] == "Stock falls again: B1 Market pushes back against the rise of step 6."


def test_two_loops_of_different_lengths_the_shortest_loop_from_the_latest_change() -> None:
    """Morale falls. R1 (Morale -> Pride -> Morale) takes 2 steps, B1 (Morale -> Output ->
    Overtime -| Morale) 3. By hand: Morale falls at 2 (R1), rises at 3 (B1 against the first
    fall), falls at 4 (the fall of step 2 round R1), rises at 5 (the rise of step 3 round R1;
    B1 also brings the fall of step 2 back as a rise, but R1 is shorter) and falls at 6 (the
    fall of step 4 round R1)."""
    diagram = make(
        [
            ("Morale", "Pride", "+"),
            ("Pride", "Morale", "+"),
            ("Morale", "Output", "+"),
            ("Output", "Overtime", "+"),
            ("Overtime", "Morale", "-"),
        ],
        {("Morale", "Pride"): "Pride spiral", ("Morale", "Output", "Overtime"): "Overtime brake"},
    )
    assert captions(diagram, "morale", "down", 6) == [
        "Suppose Morale falls.",
        "Step 1: Pride and Output fall.",
        "Morale falls again after 2 steps: R1 Pride spiral reinforces the fall — a doom loop. "
        "Also: Overtime falls.",
        "Morale rises after 3 steps: B1 Overtime brake pushes back against the fall. "
        "Also: Pride and Output fall.",
        "Morale falls again: R1 Pride spiral brings back the fall of step 2. "
        "Also: Overtime falls; Pride and Output rise.",
        "Morale rises again: R1 Pride spiral brings back the rise of step 3. "
        "Also: Pride and Output fall; Overtime rises.",
        "Morale falls again: R1 Pride spiral brings back the fall of step 4. "
        "Also: Overtime falls; Pride and Output rise.",
    ]


def test_a_trip_with_a_detour_names_the_loop_it_went_round_on_the_way() -> None:
    """Cost -> Staff -> Quality -| Cost is B1 (3 steps); Staff -> Hiring -> Staff is R1, a loop
    without Cost. Cost rises: it falls at 3 (B1), and again at 5, the rise having gone once
    round R1 on its way: a walk of 5 steps, B1 with a detour."""
    diagram = make(
        [
            ("Cost", "Staff", "+"),
            ("Staff", "Quality", "+"),
            ("Quality", "Cost", "-"),
            ("Staff", "Hiring", "+"),
            ("Hiring", "Staff", "+"),
        ],
        {("Cost", "Staff", "Quality"): "Cost control", ("Staff", "Hiring"): "Hiring"},
    )
    run = propagate(diagram, "cost", "up", 5)
    loops = find_loops(diagram).loops
    assert return_sentence(run, 3, diagram, loops) == (
        "Cost falls after 3 steps: B1 Cost control pushes back against the rise."
    )
    assert return_sentence(run, 4, diagram, loops) is None  # Cost does not change at 4
    assert return_sentence(run, 5, diagram, loops) == (
        "Cost falls again after 5 steps: B1 Cost control, by way of R1 Hiring, pushes back "
        "against the rise."
    )


def test_without_the_loops_the_caption_names_none_and_still_counts_only_a_first_trip() -> None:
    diagram = make([("A", "B", "+"), ("B", "A", "-")])
    run = propagate(diagram, "a", "down", 4)
    assert return_sentence(run, 2, diagram) == "A rises after 2 steps."
    assert return_sentence(run, 4, diagram) == "A falls again."
    loops = find_loops(diagram).loops
    assert return_sentence(run, 4, diagram, loops) == (
        "A falls again: B1 pushes back against the rise of step 2."
    )


def test_a_question_mark_link_and_changes_pulled_both_ways() -> None:
    unsure = make([("A", "B", "?"), ("B", "A", "+")])
    run = propagate(unsure, "a", "up", 4)
    loops = find_loops(unsure).loops
    assert return_sentence(run, 2, unsure, loops) == (
        "A may rise or fall after 2 steps: U1 has a link of unknown sign."
    )
    assert return_sentence(run, 4, unsure, loops) == (
        "A may rise or fall: U1 brings back the uncertain change of step 2."
    )
    both = make([("A", "B", "+"), ("B", "A", "+"), ("A", "C", "+"), ("C", "A", "-")])
    run = propagate(both, "a", "up", 2)
    assert return_sentence(run, 2, both, find_loops(both).loops) == (
        "A is pulled both ways after 2 steps: R1 brings the rise back; B1 pushes back."
    )


def test_the_example_diagram_tells_its_story() -> None:
    diagram = load_diagram(EXAMPLES / "experience-loop.cld.json")
    shown = captions(diagram, "engagement", "down", 16)
    assert shown[8] == (
        "Employee engagement is pulled both ways after 8 steps: R2 Virtuous cycle brings the "
        "fall back; B1 Workload squeeze pushes back. Also: Staff turnover falls."
    )
    assert shown[12] == (
        "Employee engagement rises after 12 steps: B1 Workload squeeze, by way of R1 Turnover "
        "spiral, pushes back against the fall. Also: Staff turnover falls; Revenue and Customer "
        "demand may rise or fall."
    )
    assert shown[16] == (
        "Employee engagement may rise or fall: R2 Virtuous cycle and B1 Workload squeeze bring "
        "back the uncertain change of step 8. Also: Revenue and Customer demand rise; Staff "
        "turnover may rise or fall."
    )
