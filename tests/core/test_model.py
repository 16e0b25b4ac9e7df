"""The records and the diagram: field validation, what the reader fills in, and the
whole-diagram checks, each with a message saying what is wrong and where."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from cld_editor.core.model import (
    Diagram,
    Link,
    LoopLabel,
    Variable,
    canonical_loop,
    check_references,
)


def variables(*ids: str) -> list[dict]:
    return [{"id": i, "x": 0, "y": 0} for i in ids]


def error_text(body: dict) -> str:
    with pytest.raises(ValidationError) as info:
        Diagram.model_validate(body)
    return str(info.value)


def test_label_defaults_to_the_id() -> None:
    assert Variable(id="sales", x=0, y=0).label == "sales"
    assert Variable(id="sales", label="", x=0, y=0).label == ""


def test_unplaced_variables_go_on_a_circle_in_document_order() -> None:
    diagram = Diagram.model_validate(
        {"variables": [{"id": "a"}, {"id": "b", "x": 7, "y": 8}, {"id": "c"}, {"id": "d"}]}
    )
    a, b, c, d = diagram.variables
    assert (b.x, b.y) == (7.0, 8.0)
    assert (a.x, a.y) == (0.0, -150.0)  # starts at the top
    for placed in (a, c, d):
        assert math.hypot(placed.x, placed.y) == pytest.approx(150.0, abs=0.01)
    assert len({(a.x, a.y), (c.x, c.y), (d.x, d.y)}) == 3
    assert not any(math.copysign(1, value) < 0 and value == 0 for value in (a.x, c.x, d.x))


def test_links_without_ids_get_the_first_free_ones() -> None:
    diagram = Diagram.model_validate(
        {
            "variables": variables("a", "b"),
            "links": [
                {"source": "a", "target": "b"},
                {"id": "l1", "source": "b", "target": "a"},
                {"source": "a", "target": "a"},
            ],
        }
    )
    assert [link.id for link in diagram.links] == ["l2", "l1", "l3"]


def test_self_links_are_allowed() -> None:
    Diagram.model_validate({"variables": variables("a"), "links": [{"source": "a", "target": "a"}]})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"variables": variables("a", "b", "a")},
            "duplicate id 'a': variables[0] and variables[2]",
        ),
        (
            {"variables": variables("a"), "links": [{"id": "a", "source": "a", "target": "a"}]},
            "duplicate id 'a': variables[0] and links[0]",
        ),
        (
            {"variables": variables("a"), "links": [{"id": "x", "source": "a", "target": "b"}]},
            "links[0] (id 'x'): target 'b' is not a variable",
        ),
        (
            {
                "variables": variables("a", "b"),
                "links": [
                    {"id": "x", "source": "a", "target": "b"},
                    {"id": "y", "source": "b", "target": "a"},
                    {"id": "z", "source": "a", "target": "b", "polarity": "-"},
                ],
            },
            "links[2] (id 'z') repeats links[0] (id 'x'): both go from 'a' to 'b'",
        ),
        (
            {
                "variables": variables("a"),
                "loop_labels": [{"id": "a", "loop": ["a"], "x": 0, "y": 0}],
            },
            "duplicate id 'a': variables[0] and loop_labels[0]",
        ),
    ],
)
def test_whole_diagram_checks_say_where(body: dict, message: str) -> None:
    assert message in error_text(body)


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"id": "", "x": 0, "y": 0}, "id"),
        ({"id": "a\nb", "x": 0, "y": 0}, "id"),
        ({"id": "a" * 201, "x": 0, "y": 0}, "id"),
        ({"id": "a", "label": "x" * 1001, "x": 0, "y": 0}, "label"),
        ({"id": "a", "notes": "x" * 100_001, "x": 0, "y": 0}, "notes"),
        ({"id": "a", "x": math.nan, "y": 0}, "x"),
        ({"id": "a", "x": 0, "y": -math.inf}, "y"),
        ({"id": "a", "x": 1e10, "y": 0}, "x"),
        ({"id": "a", "domain": "XX", "x": 0, "y": 0}, "domain"),
        ({"id": "a", "x": 0, "y": 0, "colour": "red"}, "colour"),
    ],
)
def test_variable_fields_are_checked(record: dict, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        Variable.model_validate(record)
    assert info.value.errors()[0]["loc"][0] == field


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"id": "l", "source": "a", "target": "b", "polarity": "+/-"}, "polarity"),
        ({"id": "l", "source": "a", "target": "b", "curvature": 2.5}, "curvature"),
        ({"id": "l", "source": "a", "target": "b", "curvature": math.nan}, "curvature"),
        ({"id": "l", "source": "a"}, "target"),
    ],
)
def test_link_fields_are_checked(record: dict, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        Link.model_validate(record)
    assert info.value.errors()[0]["loc"][0] == field


def test_records_are_immutable() -> None:
    record = Variable(id="a", x=0, y=0)
    with pytest.raises(ValidationError):
        record.x = 5  # type: ignore[misc]


def test_loop_labels_need_a_loop() -> None:
    with pytest.raises(ValidationError):
        LoopLabel(id="r", loop=[], x=0, y=0)


def test_check_references_accepts_a_valid_diagram_quickly_and_names_problems() -> None:
    a, b = Variable(id="a", x=0, y=0), Variable(id="b", x=0, y=0)
    check_references([a, b], [Link(id="l", source="a", target="b")], [])
    with pytest.raises(ValueError, match="source 'c' is not a variable"):
        check_references([a, b], [Link(id="l", source="c", target="b")], [])


def test_canonical_loop_ignores_the_starting_member() -> None:
    assert canonical_loop(["c", "a", "b"]) == ("a", "b", "c")
    assert canonical_loop(("b", "c", "a")) == ("a", "b", "c")
    assert canonical_loop(["a", "c", "b"]) != canonical_loop(["a", "b", "c"])
    assert canonical_loop([]) == ()
