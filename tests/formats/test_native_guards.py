"""The loader's size guards count the structure of a file (values, arrays and objects outside
strings), so that every shape of hostile file is refused before parsing builds it, and no
valid file is refused for what its strings hold."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from cld_editor.formats.json_limits import (
    MAX_JSON_CONTAINERS,
    MAX_JSON_VALUES,
    JsonTooLarge,
    check_json_size,
)
from cld_editor.formats.native import LoadError, dumps_diagram, loads_diagram


def nested_lists(containers: int, depth: int = 500) -> bytes:
    """A file whose title is ``[[[...]]],[[[...]]],...``: many lists, hardly any commas."""
    group = "[" * depth + "]" * depth
    groups = ",".join([group] * (containers // depth + 1))
    return ('{"format": "cld", "version": 1, "title": [' + groups + "]}").encode()


def peak_while(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_deeply_nested_lists_are_refused_before_they_are_built() -> None:
    data = nested_lists(2 * MAX_JSON_CONTAINERS)
    assert data.count(b",") < MAX_JSON_VALUES / 1000  # the old comma count let this through

    def load() -> None:
        with pytest.raises(LoadError, match="too many arrays and objects for a diagram"):
            loads_diagram(data)

    peak = peak_while(load)
    # Building the million lists costs about 60 MB; counting them, a few chunks of the file.
    assert peak < 10_000_000, f"{peak / 1e6:.0f} MB"


def test_nested_lists_within_the_limit_are_parsed_and_refused_by_the_schema() -> None:
    data = nested_lists(MAX_JSON_CONTAINERS // 2, depth=50)
    with pytest.raises(LoadError, match="title: expected a string, found an array"):
        loads_diagram(data)


def test_commas_and_brackets_inside_strings_do_not_count() -> None:
    """A valid diagram whose notes hold millions of commas and brackets (and escaped quotes
    and backslashes around them) loads."""
    note = '\\"[{,\\\\' + ",[{" * 33_000  # 99,006 characters, with a quote and backslashes
    variables = [{"id": f"v{i}", "x": 0, "y": 0, "notes": note} for i in range(125)]
    text = json.dumps({"format": "cld", "version": 1, "variables": variables})
    assert text.count(",") > MAX_JSON_VALUES
    assert text.count("[") + text.count("{") > MAX_JSON_CONTAINERS
    diagram = loads_diagram(text.encode())
    assert len(diagram.variables) == 125
    assert diagram.variables[0].notes == note
    assert loads_diagram(dumps_diagram(diagram)) == diagram
    assert loads_diagram(text) == diagram  # text already decoded


@pytest.mark.parametrize("kind", ["bytes", "str"])
def test_values_outside_strings_are_counted_even_when_strings_hold_commas(kind: str) -> None:
    body = '"a,b,c",' * 1000 + ",".join(["0"] * (MAX_JSON_VALUES + 1))
    text = '{"format": "cld", "version": 1, "title": [' + body + "]}"
    with pytest.raises(JsonTooLarge, match="too many values"):
        check_json_size(text if kind == "str" else text.encode())


def test_an_escaped_quote_does_not_turn_the_rest_of_the_file_into_a_string() -> None:
    # Were \\" read as an escaped quote, the lists after it would count as string content.
    lists = ",".join(["[]"] * (MAX_JSON_CONTAINERS + 1))
    text = '{"title": "a\\\\", "x": "' + "," * (MAX_JSON_VALUES + 1) + '", "y": [' + lists + "]}"
    with pytest.raises(JsonTooLarge, match="too many arrays and objects"):
        check_json_size(text.encode())


def test_the_limits_hold_a_diagram_at_every_record_limit() -> None:
    """Root object, its three record arrays, an object per record, an array per loop label,
    the story object and its steps array, and per step its object, two id lists and a pulse;
    values: at most six fields a record (a comma each)."""
    from cld_editor.core.model import MAX_LINKS, MAX_LOOP_LABELS, MAX_VARIABLES
    from cld_editor.core.story import MAX_STORY_STEPS

    containers = 1 + 3 + MAX_VARIABLES + MAX_LINKS + 2 * MAX_LOOP_LABELS + 2 + 4 * MAX_STORY_STEPS
    assert containers <= MAX_JSON_CONTAINERS
    assert 6 * (MAX_VARIABLES + MAX_LINKS + MAX_LOOP_LABELS) <= MAX_JSON_VALUES
