"""The loop table's JSON text, put together by hand for speed, is exactly what encoding each
loop's dictionary gives: valid JSON, the same keys and values, ids with quotes and non-ASCII."""

from __future__ import annotations

import json

from hypothesis import given, settings

from cld_editor.analysis.budget import Budget
from cld_editor.analysis.loops import find_loops
from tests.analysis.test_find_loops import small_diagrams


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False, separators=(",", ":"))


@settings(max_examples=120, deadline=None)
@given(diagram=small_diagrams(max_variables=6, out_degree=3))
def test_json_texts_match_each_loops_dictionary(diagram) -> None:
    loops = find_loops(diagram, Budget.no_limits()).loops
    table = loops.table
    for chunk in (1, 3, 4096):
        texts = [text for part in table.json_texts(quote, chunk) for text in part]
        assert [json.loads(text) for text in texts] == [
            {**loop.to_json(), "label": None} for loop in loops
        ]
        assert [json.loads(text) for text in texts] == [
            {**row, "label": None} for row in table.json_rows(chunk)
        ]


def test_ids_that_need_escaping_survive() -> None:
    from tests.analysis.test_find_loops import make_diagram

    ids = ['say "hi"', "back\\slash", "Zufriedenheit ü", "</script>"]
    links = [(ids[i], ids[(i + 1) % 4], "-" if i == 0 else "+", i == 2) for i in range(4)]
    diagram = make_diagram([(v, "CX" if i % 2 else "EX") for i, v in enumerate(ids)], links)
    loops = find_loops(diagram, Budget.no_limits()).loops
    (text,) = next(loops.table.json_texts(quote))
    assert json.loads(text) == {**loops[0].to_json(), "label": None}
    assert json.loads(text)["variables"] == ids


@settings(max_examples=60, deadline=None)
@given(diagram=small_diagrams(max_variables=6, out_degree=3))
def test_counts_through_each_variable_match_the_loops(diagram) -> None:
    """The table's whole-array counts (in lists or arrays, a few members at a time) are the
    loops through each variable, by kind, counted one loop at a time."""
    from cld_editor.analysis import table as table_module

    loops = find_loops(diagram, Budget.no_limits()).loops
    ids = [v.id for v in diagram.variables]
    by_kind = {v: [0, 0, 0] for v in ids}
    kinds = ("reinforcing", "balancing", "undetermined")
    for loop in loops:
        for v in loop.variables:
            by_kind[v][kinds.index(loop.polarity)] += 1
    expected = [tuple(by_kind[v]) for v in ids]
    for table in (loops.table, loops.table.as_arrays()):
        assert table.through_by_kind() == expected
        assert table.through() == [sum(counts) for counts in expected]
    chunk = table_module.CHUNK_MEMBERS
    try:
        table_module.CHUNK_MEMBERS = 3  # many chunks, cut inside loops
        assert loops.table.as_arrays().through_by_kind() == expected
    finally:
        table_module.CHUNK_MEMBERS = chunk
