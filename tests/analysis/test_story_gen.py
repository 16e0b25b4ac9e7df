"""Story from loops: the shortest loop first, labelled loops next, each step revealing only
what its loop adds; every variable and link on a loop is revealed by a loop's step, also when
the loop search was cut short (the independent loop set covers them), and the story ends with
the whole diagram."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.analysis.story_gen import independent_loops, story_from_loops
from cld_editor.core.model import Diagram, Link, LoopLabel, Variable
from cld_editor.formats.native import load_diagram

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
UNLIMITED = Budget(max_loops=None, max_length=None, time_limit=None, max_members=None)


@st.composite
def diagrams(draw: st.DrawFn) -> Diagram:
    n = draw(st.integers(1, 7))
    names = [f"v{i}" for i in range(n)]
    pairs = [(s, t) for s in names for t in names]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2 * n))
    return Diagram(
        variables=[Variable(id=v, x=0, y=0) for v in names],
        links=[
            Link(id=f"l{k}", source=s, target=t, polarity=draw(st.sampled_from("+-?")))
            for k, (s, t) in enumerate(chosen)
        ],
    )


def check_story(diagram: Diagram, story, on_loops: set[str]) -> None:
    all_ids = [r.id for t in (diagram.variables, diagram.links, diagram.loop_labels) for r in t]
    revealed = [i for step in story.steps for i in step.reveal]
    assert sorted(revealed) == sorted(all_ids), "every record once, nothing else"
    loop_steps = [s for s in story.steps if not s.caption.startswith(("The rest", "No feedback"))]
    assert on_loops <= {i for s in loop_steps for i in s.reveal}


def on_any_loop(diagram: Diagram) -> set[str]:
    loops = find_loops(diagram, UNLIMITED).loops
    return {i for loop in loops for i in (*loop.variables, *loop.links)}


@settings(max_examples=200, deadline=None)
@given(diagrams())
def test_generation_covers_every_variable_and_link_on_a_loop(diagram: Diagram) -> None:
    check_story(diagram, story_from_loops(diagram), on_any_loop(diagram))


@settings(max_examples=200, deadline=None)
@given(diagrams())
def test_a_cut_short_search_still_covers_every_looped_link(diagram: Diagram) -> None:
    """The independent loop set covers what a loop search cut short did not find."""
    loops = find_loops(diagram, UNLIMITED).loops[:1]  # as if the search had stopped early
    chosen = independent_loops(diagram, loops)
    covered = {i for loop in chosen for i in loop.links}
    on_loops = on_any_loop(diagram)
    assert {link.id for link in diagram.links if link.id in on_loops} <= covered
    by_id = {link.id: link for link in diagram.links}
    for loop in chosen:  # each really is a closed walk through the links it names
        ends = [(by_id[i].source, by_id[i].target) for i in loop.links]
        assert all(ends[k][1] == ends[(k + 1) % len(ends)][0] for k in range(len(ends)))
    check_story(diagram, story_from_loops(diagram, loops), on_loops)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.cld.json")), ids=lambda p: p.stem)
def test_every_example_gets_a_story_covering_its_loops(path: Path) -> None:
    diagram = load_diagram(path)
    story = story_from_loops(diagram)
    check_story(diagram, story, on_any_loop(diagram))
    first = min(find_loops(diagram, UNLIMITED).loops, key=lambda loop: loop.length)
    assert story.steps[0].caption.startswith(first.name + " ")


def test_the_experience_loop_story_reads_loop_by_loop() -> None:
    story = story_from_loops(load_diagram(EXAMPLES / "experience-loop.cld.json"))
    assert [s.caption for s in story.steps] == [
        "R1 Turnover spiral: reinforcing",
        "R2 Virtuous cycle: reinforcing",
        "B1 Workload squeeze: balancing",
    ]
    # the squeeze adds only what the first two did not show, and its label
    assert story.steps[2].reveal == ["demand", "l7", "l8", "l10", "squeeze"]


def test_labelled_loops_come_before_shorter_unlabelled_ones() -> None:
    def ring(names: list[str], start: int) -> list[Link]:
        return [
            Link(id=f"l{start + k}", source=a, target=b)
            for k, (a, b) in enumerate(zip(names, [*names[1:], names[0]], strict=True))
        ]

    diagram = Diagram(
        variables=[Variable(id=v, x=0, y=0) for v in "abcdefgh"],
        links=[*ring(["a", "b"], 0), *ring(["c", "d", "e"], 10), *ring(["f", "g", "h", "a"], 20)],
        loop_labels=[LoopLabel(id="named", loop=["f", "g", "h", "a"], x=0, y=0, name="Long one")],
    )
    captions = [s.caption for s in story_from_loops(diagram).steps]
    assert captions == ["R1: reinforcing", "R3 Long one: reinforcing", "R2: reinforcing"]


def test_a_diagram_without_loops_is_one_step() -> None:
    diagram = Diagram(
        variables=[Variable(id="a", x=0, y=0), Variable(id="b", x=0, y=0)],
        links=[Link(id="l1", source="a", target="b")],
    )
    story = story_from_loops(diagram)
    assert [(s.caption, s.reveal) for s in story.steps] == [
        ("No feedback loops: the whole diagram", ["a", "b", "l1"])
    ]
    assert story_from_loops(Diagram()).steps == []
