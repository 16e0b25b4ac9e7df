"""The shipped examples and archetype templates: they load, save back byte for byte, lay out
cleanly, and have exactly the loops their structure implies.

The expected loop counts are derived by hand from each diagram's links (the derivation is in the
comments of ``EXPECTED``), not copied from the program: a change in the analysis or in a file
that alters them is caught here.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest

from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.core.model import Diagram, canonical_loop
from cld_editor.formats.native import dumps_diagram, load_diagram

EXAMPLES = Path(__file__).resolve().parent.parent / "resources" / "examples"

#: file -> (reinforcing, balancing, undetermined, delayed loops). "a>b" is a link a -> b.
EXPECTED: dict[str, tuple[int, int, int, int]] = {
    # Virtuous cycle engagement>service>satisfaction>loyalty>revenue>investment>engagement (no -);
    # workload squeeze ...loyalty>demand>workload>burnout>engagement (burnout>engagement is -);
    # turnover spiral workload>burnout>turnover>workload (no -). Every loop has a delayed link.
    "experience-loop.cld.json": (2, 1, 0, 3),
    # Every loop passes loyalty (the only CX -> EX links leave it). From loyalty: via leadership
    # and training, via leadership and tools>effort (two -), via leadership and tools>workload>
    # effort (two -), via leadership, culture and engagement: R; via workload>effort>satisfaction
    # (one -): B. All but the workload one go through the delayed loyalty>leadership link.
    "experience-iceberg.cld.json": (4, 1, 0, 4),
    # growing<>performance (R); performance>slowing (delayed) >performance - (B).
    "limits-to-growth.cld.json": (1, 1, 0, 1),
    # problem>fix>problem - (B); problem>fix>consequence (delayed) >problem (R).
    "fixes-that-fail.cld.json": (1, 1, 0, 1),
    # problem<>symptomatic (one -, B); problem<>fundamental (one -, delayed, B);
    # problem>symptomatic>side>fundamental>problem (side>fundamental and fundamental>problem
    # are -: R, delayed).
    "shifting-the-burden.cld.json": (1, 2, 0, 2),
    # goal>gap>pressure>goal (pressure>goal -: B); gap>action (delayed) >condition>gap
    # (condition>gap -: B).
    "eroding-goals.cld.json": (0, 2, 0, 1),
    # Senge's form: each party's loop through "results of A relative to B" has one - (B, with a
    # delayed activity>results link); the reinforcing figure-eight is not an elementary loop.
    "escalation.cld.json": (0, 2, 0, 2),
    # allocation>resources A>success A>allocation (R); allocation>resources B (-) >success B>
    # allocation (-) (R). No delays in the archetype.
    "success-to-the-successful.cld.json": (2, 0, 0, 0),
    # A<>gains A and B<>gains B (R); activity>total>gain per activity (-, delayed) >gains>activity
    # for A and for B (B). No loop runs A -> total -> B (it would pass total twice).
    "tragedy-of-the-commons.cld.json": (2, 2, 0, 2),
    # growing<>demand (R); demand>performance (-, delayed) >demand (B);
    # performance>need (-) >investment>capacity (delayed) >performance (B).
    "growth-and-underinvestment.cld.json": (1, 2, 0, 2),
}

ARCHETYPES = {name for name in EXPECTED if not name.startswith("experience-")}


def example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.cld.json"))


def test_every_example_is_in_the_expected_table() -> None:
    assert {path.name for path in example_files()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_loads_and_saves_back_byte_identically(name: str) -> None:
    path = EXAMPLES / name
    diagram = load_diagram(path)
    assert dumps_diagram(diagram) == path.read_text(encoding="utf-8")
    assert path.read_bytes() == dumps_diagram(diagram).encode("utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_loop_counts_match_its_structure(name: str) -> None:
    diagram = load_diagram(EXAMPLES / name)
    analysis = find_loops(diagram, Budget(max_loops=None, time_limit=None))
    reinforcing, balancing, undetermined, delayed = EXPECTED[name]
    assert analysis.complete
    assert (
        analysis.count("reinforcing"),
        analysis.count("balancing"),
        analysis.count("undetermined"),
    ) == (reinforcing, balancing, undetermined)
    assert len(analysis.loops) == reinforcing + balancing + undetermined
    assert sum(loop.delayed for loop in analysis.loops) == delayed


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loop_labels_mark_real_loops_near_their_middle(name: str) -> None:
    diagram = load_diagram(EXAMPLES / name)
    analysis = find_loops(diagram)
    keys = {loop.key for loop in analysis.loops}
    position = {v.id: (v.x, v.y) for v in diagram.variables}
    for label in diagram.loop_labels:
        assert canonical_loop(label.loop) in keys, f"{label.id} names no loop"
        xs = [position[m][0] for m in label.loop]
        ys = [position[m][1] for m in label.loop]
        # Within the loop's bounding box (grown a little for two-variable loops drawn as a lens).
        assert min(xs) - 60 <= label.x <= max(xs) + 60, label.id
        assert min(ys) - 150 <= label.y <= max(ys) + 150, label.id


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_is_laid_out_for_reading(name: str) -> None:
    diagram = load_diagram(EXAMPLES / name)
    assert diagram.title.strip() and diagram.description.strip()
    for a, b in itertools.combinations(diagram.variables, 2):
        distance = math.dist((a.x, a.y), (b.x, b.y))
        assert distance >= 150, f"{a.id} and {b.id} are only {distance:.0f} apart"
    for variable in diagram.variables:
        # Short labels wrap into at most about three lines on the canvas.
        assert 0 < len(variable.label) <= 40, variable.id


def test_archetypes_use_generic_names_and_describe_a_cx_ex_case() -> None:
    for name in ARCHETYPES:
        diagram = load_diagram(EXAMPLES / name)
        assert "Example:" in diagram.description, name
        assert all(v.domain is None for v in diagram.variables), name


def test_experience_loop_names_its_virtuous_cycle_and_workload_squeeze() -> None:
    diagram = load_diagram(EXAMPLES / "experience-loop.cld.json")
    analysis = find_loops(diagram)
    by_key = {loop.key: loop for loop in analysis.loops}
    named = {label.name: by_key[canonical_loop(label.loop)] for label in diagram.loop_labels}
    assert named["Virtuous cycle"].polarity == "reinforcing"
    assert named["Workload squeeze"].polarity == "balancing"
    assert {"CX", "EX"} <= set(named["Virtuous cycle"].domains)
    assert {"CX", "EX"} <= set(named["Workload squeeze"].domains)
    assert 8 <= len(diagram.variables) <= 10
    assert any(link.delay for link in diagram.links)


def test_experience_iceberg_keeps_cx_above_the_waterline_and_ex_below() -> None:
    diagram = load_diagram(EXAMPLES / "experience-iceberg.cld.json")
    assert diagram.waterline is not None
    for variable in diagram.variables:
        assert variable.domain in ("CX", "EX"), variable.id
        above = variable.y < diagram.waterline
        assert above == (variable.domain == "CX"), variable.id
    loops = find_loops(diagram).loops
    assert loops and all(loop.domains == ("CX", "EX") for loop in loops)


def test_index_lists_every_example_once_with_its_title() -> None:
    entries = json.loads((EXAMPLES / "index.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in entries] == list(dict.fromkeys(e["file"] for e in entries))
    assert {entry["file"] for entry in entries} == set(EXPECTED)
    for entry in entries:
        assert set(entry) == {"file", "title", "description", "kind"}
        diagram: Diagram = load_diagram(EXAMPLES / entry["file"])
        assert entry["title"] == diagram.title
        assert entry["kind"] == ("archetype" if entry["file"] in ARCHETYPES else "example")
        assert entry["description"].strip() and "\n" not in entry["description"]
