"""The loop census against the listing: the same totals, splits, and counts per variable and per
link; partial counts when stopped, marked incomplete."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings

from cld_editor.analysis.budget import Budget
from cld_editor.analysis.census import count_loops
from cld_editor.analysis.loops import find_loops
from tests.analysis.test_find_loops import small_diagrams
from tests.analysis.test_loop_budget import complete_digraph


@pytest.mark.parametrize("compiled", [False, True])
@settings(max_examples=60, deadline=None)
@given(diagram=small_diagrams(max_variables=8, out_degree=4))
def test_census_equals_the_listing(compiled: bool, diagram) -> None:
    pytest.importorskip("numba") if compiled else None
    listing = find_loops(diagram, Budget.no_limits(), compiled=compiled)
    census = count_loops(diagram, compiled=compiled)
    assert census.complete and census.total == len(listing.loops)
    assert census.by_kind == tuple(
        listing.count(kind) for kind in ("reinforcing", "balancing", "undetermined")
    )
    by_length = Counter((loop.length, loop.polarity) for loop in listing.loops)
    assert census.by_length == {
        length: tuple(
            by_length[length, kind] for kind in ("reinforcing", "balancing", "undetermined")
        )
        for length in {loop.length for loop in listing.loops}
    }
    assert census.delayed == sum(loop.delayed for loop in listing.loops)
    domains = Counter(loop.domains for loop in listing.loops)
    assert census.domains == {
        "none": domains[()],
        "CX only": domains[("CX",)],
        "EX only": domains[("EX",)],
        "cross-domain": domains[("CX", "EX")],
    }
    assert census.through_variables == listing.loops_through
    links = Counter(link for loop in listing.loops for link in loop.links)
    assert census.through_links == {link.id: links[link.id] for link in diagram.links}


def test_a_stopped_census_gives_lower_bounds() -> None:
    diagram = complete_digraph(8)
    whole = count_loops(diagram, time_limit=0)
    polls = 0

    def cancelled() -> bool:
        nonlocal polls
        polls += 1
        return polls > 2

    partial = count_loops(diagram, cancelled=cancelled, compiled=False)
    assert not partial.complete and partial.stopped_by == "cancelled"
    assert 0 < partial.total < whole.total
    assert partial.summary_text().startswith(f"at least {partial.total:,} loops")
    for variable, count in partial.through_variables.items():
        assert count <= whole.through_variables[variable]
    # Loops through v0 found so far are credited although v0 is still on the search path.
    assert partial.through_variables["v0"] > 0


def test_ctrl_c_keeps_the_partial_counts() -> None:
    calls = 0

    def progress(found: int) -> None:
        nonlocal calls
        calls += 1
        raise KeyboardInterrupt

    census = count_loops(complete_digraph(11), time_limit=0, progress=progress)
    assert census.stopped_by == "interrupted" and calls == 1
    assert not census.complete and census.total > 0


def test_census_json_shape() -> None:
    census = count_loops(complete_digraph(4))
    data = census.to_json()
    assert data["loops"] == 20 and data["complete"] is True
    assert [row["length"] for row in data["by_length"]] == [2, 3, 4]
    assert sum(data["domains"].values()) == 20
    assert set(data["variables"]) == {"v0", "v1", "v2", "v3"}
