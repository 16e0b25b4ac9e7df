"""Incremental analysis after link edits equals a recount, after random edit sequences."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cld_editor.analysis import engine, incremental
from cld_editor.analysis.budget import Budget
from cld_editor.analysis.engine import Placing
from cld_editor.analysis.incremental import updated_analysis
from cld_editor.analysis.incremental_arrays import link_index
from cld_editor.analysis.loops import find_loops
from cld_editor.analysis.placing import (
    index_links,
    merge_tables,
    retag_codes,
    retag_counted,
    sort_and_place,
)
from cld_editor.core.model import Diagram, Link, Variable
from tests.analysis.test_find_loops import small_diagrams
from tests.analysis.test_loop_budget import complete_digraph

NO_LIMITS = Budget.no_limits()


@st.composite
def edits(draw: st.DrawFn, diagram: Diagram, variables: bool = False) -> Diagram:
    """One random edit of the links: add, remove, re-sign or re-delay one, or several at once;
    with ``variables``, also add a variable anywhere in the document order (alone, or linked
    by later steps), delete one with its links, or move one to another domain."""
    variables_now = list(diagram.variables)
    links = list(diagram.links)
    kinds = ["add", "remove", "sign", "delay", "retarget"]
    if variables:
        kinds += ["new variable", "delete variable", "domain"]
    for _ in range(draw(st.integers(1, 3))):
        ids = [v.id for v in variables_now]
        taken = {(link.source, link.target) for link in links}
        action = draw(st.sampled_from(kinds))
        if action == "new variable":
            used = set(ids)
            new_id = next(i for k in itertools.count() if (i := f"x{k}") not in used)
            at = draw(st.integers(0, len(variables_now)))
            domain = draw(st.sampled_from([None, "CX", "EX"]))
            variables_now.insert(at, Variable(id=new_id, domain=domain, x=0.0, y=0.0))
            continue
        if action == "delete variable" and variables_now:
            gone = variables_now.pop(draw(st.integers(0, len(variables_now) - 1))).id
            links = [link for link in links if gone not in (link.source, link.target)]
            continue
        if action == "domain" and variables_now:
            k = draw(st.integers(0, len(variables_now) - 1))
            domain = draw(st.sampled_from([None, "CX", "EX"]))
            variables_now[k] = variables_now[k].model_copy(update={"domain": domain})
            continue
        free = [(s, t) for s in ids for t in ids if (s, t) not in taken]
        if action == "add" and free:
            s, t = draw(st.sampled_from(free))
            used = {link.id for link in links}
            new_id = next(i for k in itertools.count() if (i := f"n{k}-{s}-{t}") not in used)
            links.append(
                Link(
                    id=new_id,
                    source=s,
                    target=t,
                    polarity=draw(st.sampled_from("+-?")),
                )
            )
        elif links:
            k = draw(st.integers(0, len(links) - 1))
            if action == "remove":
                del links[k]
            elif action == "retarget":  # same id, another end: removed and added at once
                ends = [t for t in ids if (links[k].source, t) not in taken]
                if ends:
                    links[k] = links[k].model_copy(update={"target": draw(st.sampled_from(ends))})
            elif action == "sign":
                links[k] = links[k].model_copy(update={"polarity": draw(st.sampled_from("+-?"))})
            else:
                links[k] = links[k].model_copy(update={"delay": not links[k].delay})
    return diagram.model_copy(update={"variables": variables_now, "links": links})


def assert_same(result, expected) -> None:
    assert result is not None and result.complete
    assert list(result.loops) == list(expected.loops)
    assert result.loops_through == expected.loops_through


@pytest.mark.parametrize("vector_from", [incremental.VECTOR_FROM, 0], ids=["search", "vectors"])
@pytest.mark.parametrize(
    ("compiled", "new_loops_compiled"),
    [
        (False, False),
        (False, True),
        (False, "python"),
        (True, True),
        (True, False),
        (True, "python"),
    ],
    ids=[
        "cpython",
        "lists-compiled",
        "lists-python-placing",
        "compiled",
        "arrays-cpython",
        "arrays-python-placing",
    ],
)
@settings(max_examples=60, deadline=None)
@given(data=st.data(), diagram=small_diagrams(max_variables=7, out_degree=2.5))
def test_incremental_equals_a_recount_after_random_edits(
    compiled: bool, new_loops_compiled: bool | str, vector_from: int, data, diagram
) -> None:
    """Every way of placing new loops (binary searches in Python; for many, numpy keys or the
    compiled binary search) and of joining tables (numpy, or the one-pass join of
    :mod:`placing`, compiled or run by CPython as its reference), over both kinds of table
    (lists from CPython, arrays from the compiled kernel), through sequences of edits: removed
    links leave rows behind, so later edits work on such tables too."""
    if (compiled or new_loops_compiled is True) and engine.compiled_kernel() is None:
        pytest.skip("numba is missing or turned off")
    python_placing = Placing(sort_and_place, merge_tables, None, index_links)
    with contextlib.ExitStack() as stack:
        if new_loops_compiled == "python":
            stack.enter_context(
                mock.patch.object(engine, "compiled_placing", lambda load=False: python_placing)
            )
            new_loops_compiled = None
        _follow_edits(compiled, new_loops_compiled, vector_from, data, diagram)


def _follow_edits(compiled, new_loops_compiled, vector_from, data, diagram) -> None:
    analysis = find_loops(diagram, NO_LIMITS, compiled=compiled)
    with mock.patch.object(incremental, "VECTOR_FROM", vector_from):
        for _ in range(6):
            edited = data.draw(edits(diagram))
            if data.draw(st.booleans(), label="indexed by link"):
                incremental.indexed(analysis)  # as the editor does while it waits for an edit
            updated = updated_analysis(analysis, diagram, edited, compiled=new_loops_compiled)
            assert_same(updated, find_loops(edited, NO_LIMITS, compiled=compiled))
            diagram, analysis = edited, updated


@pytest.mark.parametrize(
    "compiled", [False, True, "python-placing"], ids=["lists", "arrays", "arrays-python-placing"]
)
@settings(max_examples=80, deadline=None)
@given(data=st.data(), diagram=small_diagrams(max_variables=7, out_degree=2.0))
def test_variables_added_deleted_and_retagged_are_followed(compiled, data, diagram) -> None:
    """Edits that add a variable anywhere in the document order, delete one with its links or
    move one to another domain, mixed with link edits, are followed (not recounted) and give
    what a recount gives: loops, names, classes (the domain part too), loops through each
    variable; over array tables with the compiled placing and retagging, and with the same
    functions run by CPython (their reference)."""
    if compiled and engine.compiled_kernel() is None:
        pytest.skip("numba is missing or turned off")
    if compiled == "python-placing":
        python_placing = Placing(
            sort_and_place, merge_tables, retag_codes, index_links, retag_counted
        )
        with mock.patch.object(engine, "compiled_placing", lambda load=False: python_placing):
            _follow_variable_edits(True, data, diagram)
        return
    _follow_variable_edits(compiled, data, diagram)


def _follow_variable_edits(compiled: bool, data, diagram) -> None:
    analysis = incremental.prepared(find_loops(diagram, NO_LIMITS, compiled=compiled))
    with mock.patch.object(incremental, "ARRAYS_FROM", 0 if compiled else 1 << 62):
        analysis = incremental.prepared(analysis)
    for _ in range(6):
        edited = data.draw(edits(diagram, variables=True))
        if data.draw(st.booleans(), label="indexed by link"):
            incremental.indexed(analysis)  # as the editor does while it waits for an edit
        updated = updated_analysis(analysis, diagram, edited, compiled=compiled)
        recount = find_loops(edited, NO_LIMITS, compiled=compiled)
        before = {link.id: (link.source, link.target) for link in diagram.links}
        after = {link.id: (link.source, link.target) for link in edited.links}
        changed = len(before.keys() ^ after.keys()) + sum(
            before[k] != after[k] for k in before.keys() & after.keys()
        )
        old_ids, new_ids = [v.id for v in diagram.variables], [v.id for v in edited.variables]
        kept_order = [i for i in old_ids if i in new_ids] == [i for i in new_ids if i in old_ids]
        # Followed when few links changed and the kept variables kept their order (an id
        # deleted and added again elsewhere is a reordering); right whenever it is followed.
        if (changed <= incremental.MAX_CHANGED_LINKS and kept_order) or updated is not None:
            assert_same(updated, recount)
            _assert_index_fresh(updated)
        diagram, analysis = edited, (updated or recount)


def _assert_index_fresh(analysis) -> None:
    """An index of loops through each link that an update carried over (a re-signed link, a
    variable retagged: the same loops) is the one the new table would have built."""
    table = analysis.table
    carried = table._by_link
    if carried is None:
        return
    table._by_link = None
    built = link_index(table)
    table._by_link = carried
    for name, part in carried._asdict().items():
        assert part.tolist() == getattr(built, name).tolist(), name


@pytest.mark.parametrize("shape", ["dense", "ring of 200"])
def test_the_index_by_link_compiled_and_by_numpy_agree(shape: str) -> None:
    """:func:`index_links` (compiled, and run by CPython as its reference) and the numpy
    sort build the same index: the loops through each link in order, and the members of
    each loop in each domain (past 127 of one domain too: no 8-bit count)."""
    if shape == "dense":
        diagram = complete_digraph(5)
    else:
        variables = [Variable(id=f"v{i}", label=f"V{i}", x=0.0, y=0.0) for i in range(200)]
        links = [Link(id=f"l{i}", source=f"v{i}", target=f"v{(i + 1) % 200}") for i in range(200)]
        diagram = Diagram(variables=variables, links=links)
    tags = (None, "CX", "EX") if shape == "dense" else ("CX",) * 9 + ("EX",)  # 180 CX
    variables = [
        v.model_copy(update={"domain": tags[i % len(tags)]})
        for i, v in enumerate(diagram.variables)
    ]
    diagram = diagram.model_copy(update={"variables": variables})
    table = find_loops(diagram, NO_LIMITS, compiled=False).table.as_arrays()
    by_numpy = link_index(dataclasses.replace(table, _by_link=None))
    builders = [index_links]
    compiled = engine.compiled_placing(load=True)
    if compiled is not None:
        builders.append(compiled.index)
    graph = table.graph
    for builder in builders:
        built = link_index(dataclasses.replace(table, _by_link=None), builder)
        for name, part in by_numpy._asdict().items():
            assert part.tolist() == getattr(built, name).tolist(), (builder, name)
    offsets, loops = by_numpy.offsets, by_numpy.loops
    for row in range(graph.m):
        through = loops[offsets[row] : offsets[row + 1]].tolist()
        edges, starts = table.edges, table.starts
        expected = [i for i in range(len(table)) if row in edges[starts[i] : starts[i + 1]]]
        assert through == expected
    for i in range(len(table)):
        members = [graph.src[e] for e in table.edges[table.starts[i] : table.starts[i + 1]]]
        assert by_numpy.cx[i] == sum(graph.dom[v] == 1 for v in members)
        assert by_numpy.ex[i] == sum(graph.dom[v] == 2 for v in members)


def test_variables_reordered_are_recounted() -> None:
    diagram = complete_digraph(4)
    analysis = find_loops(diagram, NO_LIMITS)
    turned = diagram.model_copy(update={"variables": diagram.variables[::-1]})
    assert updated_analysis(analysis, diagram, turned) is None


def test_an_added_link_that_brings_more_loops_than_there_were_is_recounted() -> None:
    """Past FRESH_SHARE times the old loops (and FRESH_AT_LEAST), or past the caller's
    ``max_loops``, the search for the new loops stops and the caller recounts; below it the
    update follows the edit."""
    diagram = complete_digraph(5)
    without = diagram.model_copy(update={"links": diagram.links[1:]})
    analysis = find_loops(without, NO_LIMITS)
    new_loops = len(find_loops(diagram, NO_LIMITS).loops) - len(analysis.loops)
    assert new_loops > 0
    with mock.patch.object(incremental, "FRESH_AT_LEAST", 0):
        share = new_loops / len(analysis.loops)
        with mock.patch.object(incremental, "FRESH_SHARE", share * 0.99):
            assert updated_analysis(analysis, without, diagram) is None
        with mock.patch.object(incremental, "FRESH_SHARE", share * 1.01):
            assert_same(
                updated_analysis(analysis, without, diagram), find_loops(diagram, NO_LIMITS)
            )
            # More new loops than the caller may list: the search stops there.
            assert updated_analysis(analysis, without, diagram, max_loops=new_loops - 1) is None
            followed = updated_analysis(analysis, without, diagram, max_loops=new_loops)
            assert followed is not None


def test_not_followed_when_incomplete_or_too_many_links_change() -> None:
    diagram = complete_digraph(5)
    truncated = find_loops(diagram, Budget(max_loops=10))
    assert updated_analysis(truncated, diagram, diagram) is None
    complete = find_loops(diagram, NO_LIMITS)
    fewer = diagram.model_copy(
        update={
            "variables": diagram.variables[:-1],
            "links": [link for link in diagram.links if "v4" not in (link.source, link.target)],
        }
    )
    assert_same(updated_analysis(complete, diagram, fewer), find_loops(fewer, NO_LIMITS))
    bigger = complete_digraph(7)  # one variable of K7 has 12 links; two of them, 22
    gone = {"v5", "v6"}
    without = bigger.model_copy(
        update={
            "variables": [v for v in bigger.variables if v.id not in gone],
            "links": [k for k in bigger.links if gone.isdisjoint((k.source, k.target))],
        }
    )
    assert updated_analysis(find_loops(bigger, NO_LIMITS), bigger, without) is None


def test_a_link_added_to_a_dense_diagram() -> None:
    diagram = complete_digraph(7)
    links = [link for link in diagram.links if link.id != "v6-v0"]
    before = diagram.model_copy(update={"links": links})
    analysis = find_loops(before, NO_LIMITS, compiled=None)
    assert_same(updated_analysis(analysis, before, diagram), find_loops(diagram, NO_LIMITS))


def test_many_new_loops_are_placed_in_order() -> None:
    # Removing then restoring every link out of one variable of K7: hundreds of loops come back
    # (more than VECTOR_FROM), each put in its place among the kept ones.
    diagram = complete_digraph(7)
    links = [link for link in diagram.links if link.source != "v3"]
    before = diagram.model_copy(update={"links": links})
    analysis = find_loops(before, NO_LIMITS, compiled=False)
    updated = updated_analysis(analysis, before, diagram)
    expected = find_loops(diagram, NO_LIMITS)
    assert len(expected.loops) - len(analysis.loops) > incremental.VECTOR_FROM
    assert_same(updated, expected)


def test_rows_left_behind_are_renumbered_by_a_recount() -> None:
    # Remove a link and add a new one, over and over: each removal leaves a row behind. Once
    # rows left behind outnumber the links, the table is not followed further (a recount).
    diagram = complete_digraph(4)
    analysis = find_loops(diagram, NO_LIMITS)
    for step in range(100):
        first, *rest = diagram.links
        again = first.model_copy(update={"id": f"again{step}"})
        edited = diagram.model_copy(update={"links": [*rest, again]})
        updated = updated_analysis(analysis, diagram, edited)
        if updated is None:
            break
        assert_same(updated, find_loops(edited, NO_LIMITS))
        diagram, analysis = edited, updated
    else:
        raise AssertionError("rows left behind were never renumbered")
    assert step >= 10 and analysis.table.graph.m <= 2 * 32


def _canonical(members: list[int]) -> tuple[int, list[int]]:
    turn = members.index(min(members))
    return len(members), members[turn:] + members[:turn]


_cycles = st.lists(st.integers(0, 6), min_size=1, max_size=6, unique=True)


def _check_sort_and_place(
    members: int, old: list[tuple[int, ...]], fresh: list[list[int]], spread: int = 1
) -> None:
    """Run :func:`sort_and_place` (CPython, and compiled where numba is) on ``fresh`` loops
    (any rotation, any order) among ``old`` ones (canonical, distinct from them), members
    below ``members``, link row r leaving member r (numbered ``r * spread``: wide numbers
    pack fewer into a sort key); check the order, the rows written and the places against
    Python's sort and bisect."""
    import bisect

    import numpy as np

    old_keys = sorted((len(m), tuple(m)) for m in old)
    expected = sorted((len(loop), tuple(_canonical(loop)[1]), k) for k, loop in enumerate(fresh))
    src = (np.arange(members, dtype=np.int64) * spread).astype(np.int32)
    old_edges = np.asarray([m for _n, loop in old_keys for m in loop], dtype=np.int32)
    old_starts = np.asarray(
        list(itertools.accumulate((n for n, _loop in old_keys), initial=0)), dtype=np.int64
    )
    edges = np.asarray([m for loop in fresh for m in loop], dtype=np.int32)
    starts = np.asarray(list(itertools.accumulate(map(len, fresh), initial=0)), dtype=np.int64)
    placers = [sort_and_place]
    compiled = engine.compiled_placing(load=True)
    if compiled is not None:
        placers.append(compiled.place)
    n = len(fresh)
    for placer in placers:
        order, places = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
        turned, out_edges = np.zeros_like(edges), np.zeros_like(edges)
        out_starts = np.zeros(n + 1, dtype=np.int64)
        placer(
            src, edges, starts, old_edges, old_starts, turned, order, out_edges,
            out_starts, places,
        )  # fmt: skip
        assert order.tolist() == [k for _n, _m, k in expected]
        written = [
            tuple(out_edges[a:b].tolist()) for a, b in itertools.pairwise(out_starts.tolist())
        ]
        assert written == [m for _n, m, _k in expected]
        keys = [(n, m) for n, m, _k in expected]
        assert places.tolist() == [bisect.bisect_left(old_keys, key) for key in keys]


@settings(max_examples=120, deadline=None)
@given(
    old=st.lists(_cycles, max_size=30),
    new=st.lists(_cycles, min_size=1, max_size=40),
    spread=st.sampled_from([1, 1 << 8, 1 << 20, (2**31 - 1) // 6]),
)
def test_sort_and_place_agrees_with_python_sorting_and_bisect(old, new, spread) -> None:
    """The pass the compiled kernel runs for new loops: each new loop is turned to start at
    its smallest member, they are sorted by length then members, written in that order, and
    each placed where Python's bisect puts its key among the old loops (of mixed lengths);
    with member numbers up to 31 bits wide too (two to a sort key)."""
    old_loops = {tuple(_canonical(loop)[1]) for loop in old}
    fresh = {tuple(_canonical(loop)[1]): loop for loop in new}
    fresh_loops = [loop for key, loop in fresh.items() if key not in old_loops]
    if fresh_loops:
        _check_sort_and_place(7, sorted(old_loops), fresh_loops, spread)


@pytest.mark.parametrize("new_share", [0.01, 0.5, 3.0])
def test_sort_and_place_many_loops_sharing_long_runs(new_share: float) -> None:
    """Thousands of loops sharing long runs of members (as an added link's loops do), some
    lengths with hundreds of loops: the multikey quicksort's partitions, its insertion sorts
    and both ways of placing (binary searches for a few new loops, one walk for many)."""
    import random

    rng = random.Random(int(new_share * 100))
    members = 40

    def loop() -> list[int]:
        length = rng.randint(3, 14)
        # A shared run 0, 1, 2, ... then a random tail: long common prefixes once turned.
        tail = rng.sample(range(length, members), length - min(length - 1, 6))
        return list(range(min(length - 1, 6))) + tail

    pool = sorted({tuple(_canonical(loop())[1]) for _ in range(6000)})
    rng.shuffle(pool)
    count_new = int(len(pool) * new_share / (1 + new_share))
    fresh = [list(m) for m in pool[:count_new]]
    for k, m in enumerate(fresh):  # any rotation
        turn = k % len(m)
        fresh[k] = m[turn:] + m[:turn]
    _check_sort_and_place(members, pool[count_new:], fresh)


def test_prepared_keeps_big_complete_tables_in_arrays_and_updates_follow() -> None:
    """A complete list table of ARRAYS_FROM loops or more moves into arrays, with the same
    loops; one below it, or an incomplete result, stays as it is; edits followed from the
    arrays equal a recount."""
    diagram = complete_digraph(5)  # 84 loops
    listed = find_loops(diagram, NO_LIMITS, compiled=False)
    assert isinstance(listed.table.edges, list)
    assert incremental.prepared(listed) is listed
    with (
        mock.patch.object(incremental, "ARRAYS_FROM", 50),
        mock.patch.object(engine, "warm_up") as warm_up,
    ):
        ready = incremental.prepared(listed)
        warm_up.assert_called_once()  # later edits of a big diagram search compiled
        truncated = find_loops(diagram, Budget(max_loops=60), compiled=False)
        assert incremental.prepared(truncated) is truncated
    assert not isinstance(ready.table.edges, list)
    assert list(ready.loops) == list(listed.loops)
    assert ready.loops_through == listed.loops_through
    links = list(diagram.links)
    flipped = links[0].model_copy(update={"polarity": "-"})
    for edited_links in (links[1:], [flipped, *links[1:]], links[2:]):
        edited = diagram.model_copy(update={"links": edited_links})
        updated = updated_analysis(ready, diagram, edited, compiled=False)
        assert_same(updated, find_loops(edited, NO_LIMITS, compiled=False))


def test_the_compiled_placing_keeps_one_signature_each() -> None:
    """The compiled placing, joining and retagging are compiled once, for the array types the
    warm-up gives them; an update that passed other types (int64 link rows, say) would compile
    them again on the worker thread, seconds of a stalled analysis."""
    placing = engine.compiled_placing(load=True)
    if placing is None:
        pytest.skip("numba is missing or turned off")
    diagram = complete_digraph(6)
    analysis = incremental.prepared(find_loops(diagram, NO_LIMITS, compiled=True))
    with mock.patch.object(incremental, "ARRAYS_FROM", 0):
        analysis = incremental.prepared(analysis)
    retagged = diagram.model_copy(
        update={"variables": [v.model_copy(update={"domain": "CX"}) for v in diagram.variables]}
    )
    fewer = retagged.model_copy(update={"links": retagged.links[1:]})
    back = fewer.model_copy(update={"links": retagged.links})
    for old, new in ((diagram, retagged), (retagged, fewer), (fewer, back)):
        analysis = updated_analysis(analysis, old, new, compiled=True)
        assert_same(analysis, find_loops(new, NO_LIMITS))
    for function in (placing.place, placing.merge, placing.retag):
        assert len(function.signatures) == 1, function.signatures


@pytest.mark.parametrize("placing", ["compiled", "python"])
def test_loops_through_each_variable_after_removing_a_link_on_few_or_most_loops(
    placing: str,
) -> None:
    """The join adjusts the loops through each variable by the members that go when fewer go
    than stay, and counts them afresh in the new table when most go: the same counts as a
    recount either way, with the new loops an added link brings among them."""
    if placing == "compiled" and engine.compiled_placing(load=True) is None:
        pytest.skip("numba is missing or turned off")
    names = [f"v{i}" for i in range(6)]
    ring = [Link(id=f"r{i}", source=names[i], target=names[(i + 1) % 6]) for i in range(6)]
    chord = Link(id="chord", source="v3", target="v0", polarity="-")
    diagram = Diagram(
        variables=[Variable(id=v, label=v, x=60 * i, y=0) for i, v in enumerate(names)],
        links=[*ring, chord],
    )
    # r0 is on both loops (all the members go); the chord on the shorter one (a third of them).
    edits = [[*ring[1:], chord], ring, [*ring, chord, Link(id="back", source="v4", target="v1")]]
    python_placing = Placing(sort_and_place, merge_tables, retag_codes)
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(incremental, "ARRAYS_FROM", 0))
        if placing == "python":
            stack.enter_context(
                mock.patch.object(engine, "compiled_placing", lambda load=False: python_placing)
            )
        previous = incremental.prepared(find_loops(diagram, NO_LIMITS, compiled=False))
        assert not isinstance(previous.table.edges, list)
        for links in edits:
            edited = diagram.model_copy(update={"links": links})
            updated = updated_analysis(previous, diagram, edited, compiled=True)
            assert_same(updated, find_loops(edited, NO_LIMITS))


def test_one_link_edits_are_recognised_without_reading_the_other_links() -> None:
    """An edit that replaced, removed or added one link, keeping every other link object in
    its place, takes the short way (:func:`incremental._one_link_edit`); two changes, a link
    moved to other ends, or a table that is not the old diagram's take the long way (None),
    and both give what a recount gives."""
    diagram = complete_digraph(4)
    analysis = find_loops(diagram, NO_LIMITS, compiled=False)
    graph, links = analysis.table.graph, list(diagram.links)
    flipped = [links[0].model_copy(update={"polarity": "-"}), *links[1:]]
    # (complete: every pair but a variable and itself is linked already)
    moved = [links[0].model_copy(update={"target": links[0].source}), *links[1:]]
    new_link = Link(id="new", source="v1", target="v1")
    one = incremental._one_link_edit
    assert one(graph, links, flipped) == ([flipped[0]], set(), [], {links[0].id: 0})
    removed = one(graph, links, links[:2] + links[3:])
    assert removed is not None and removed[1] == {links[2].id} and removed[2] == []
    assert one(graph, links, [*links, new_link]) == ([new_link], set(), ["new"], {})
    assert one(graph, links, [new_link, *links]) == ([new_link], set(), ["new"], {})
    assert one(graph, links, flipped[:1] + links[1:3] + links[4:]) is None  # two changes
    assert one(graph, links, moved) is None  # other ends: removed and added
    assert one(graph, links[1:], flipped[1:]) is None  # not the table of these links
    for edited in (flipped, links[:2] + links[3:], [*links, new_link], moved):
        new = diagram.model_copy(update={"links": edited})
        assert_same(
            updated_analysis(analysis, diagram, new), find_loops(new, NO_LIMITS, compiled=False)
        )
