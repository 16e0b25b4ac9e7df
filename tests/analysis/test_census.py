"""The loop census against the listing: the same totals, splits, and counts per variable and per
link; partial counts when stopped, marked incomplete."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings

from cld_editor.analysis.budget import Budget
from cld_editor.analysis.census import count_loops
from cld_editor.analysis.loops import find_loops
from cld_editor.core.model import Link, Variable
from tests.analysis.test_find_loops import small_diagrams
from tests.analysis.test_loop_budget import complete_digraph


def cancelled_after(polls: int):
    """A ``cancelled`` callback that says yes from its ``polls + 1``-th call on."""
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > polls

    return cancelled


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
    cancelled = cancelled_after(2)
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


def test_a_stopped_census_says_which_loops_it_counted() -> None:
    """Loops are found from their first member in document order: a census stopped while
    searching from variable k has every loop through the variables before k, and says so."""
    # Two variables in a loop of their own (searched at once), then nine all linked together.
    clique = complete_digraph(9)
    pair = [Variable(id=v, x=0.0, y=0.0) for v in ("a", "b")]
    diagram = clique.model_copy(
        update={
            "variables": pair + list(clique.variables),
            "links": [
                Link(id="a-b", source="a", target="b"),
                Link(id="b-a", source="b", target="a"),
                *clique.links,
            ],
        }
    )
    whole = count_loops(diagram, time_limit=0)
    assert whole.variables_searched == whole.variables == 11 and whole.stopped_at is None
    assert whole.partial_note() == "" and whole.to_json()["note"] is None
    cancelled = cancelled_after(3)
    partial = count_loops(diagram, cancelled=cancelled, compiled=False)
    assert not partial.complete
    done = partial.variables_searched
    assert 2 <= done < 11 and partial.stopped_at == diagram.variables[done].id
    for variable in diagram.variables[:done]:
        assert partial.through_variables[variable.id] == whole.through_variables[variable.id]
    note = partial.partial_note({partial.stopped_at: "Trust"})
    assert f"variable {done + 1} of 11 ('Trust')" in note
    assert f"every loop through the first {done} variables" in note
    assert "lower bound" in note and "not representative" in note
    data = partial.to_json()
    assert data["variables_searched"] == done and data["variables_total"] == 11
    assert "not representative" in data["note"]


def test_domain_classes_are_named_in_words() -> None:
    census = count_loops(complete_digraph(3), time_limit=0)
    text = census.domains_text()
    assert text.startswith(f"no CX or EX member: {census.total}")
    assert "CX and EX members: 0" in text
