"""find_loops within a budget: loop, size and time limits, cancellation and progress reports.
No test asserts a duration: limits are made tiny against searches that would run for hours."""

from __future__ import annotations

from collections import Counter

import pytest

from cld_editor.analysis.loops import Budget, LoopAnalysis, find_loops
from cld_editor.core.model import Diagram, Link, Variable

NO_LIMITS = Budget(max_loops=None, max_length=None, time_limit=None, max_members=None)


def complete_digraph(n: int) -> Diagram:
    """Every variable linked to every other: sum over k of C(n, k) (k - 1)! loops."""
    ids = [f"v{i}" for i in range(n)]
    links = [
        Link(id=f"{s}-{t}", source=s, target=t, polarity="-" if (i + j) % 3 == 0 else "+")
        for i, s in enumerate(ids)
        for j, t in enumerate(ids)
        if s != t
    ]
    return Diagram(variables=[Variable(id=v, x=0.0, y=0.0) for v in ids], links=links)


def assert_consistent(diagram: Diagram, analysis: LoopAnalysis) -> None:
    """Whatever stopped the search, the loops reported are real, distinct and counted."""
    link_at = {(link.source, link.target): link.id for link in diagram.links}
    for loop in analysis.loops:
        steps = zip(loop.variables, loop.variables[1:] + loop.variables[:1], strict=True)
        assert loop.links == tuple(link_at[step] for step in steps)
        assert len(set(loop.variables)) == loop.length
    assert len({loop.key for loop in analysis.loops}) == len(analysis.loops)
    counts = Counter(m for loop in analysis.loops for m in loop.variables)
    assert analysis.loops_through == {v.id: counts[v.id] for v in diagram.variables}


def test_complete_digraph_loop_count() -> None:
    # 5 nodes: 10 two-loops + 20 three-loops + 30 four-loops + 24 five-loops.
    analysis = find_loops(complete_digraph(5), NO_LIMITS)
    assert len(analysis.loops) == 84 and analysis.complete
    assert Counter(loop.length for loop in analysis.loops) == {2: 10, 3: 20, 4: 30, 5: 24}


def test_loop_limit_truncates_and_says_so() -> None:
    diagram = complete_digraph(5)
    analysis = find_loops(diagram, Budget(max_loops=10, time_limit=None))
    assert len(analysis.loops) == 10
    assert not analysis.complete and analysis.stopped_by == "loop limit"
    assert analysis.summary_text() == (
        "at least 10 loops (stopped at the loop limit; all loops of up to 2 links found): "
        "10 reinforcing"
    )
    assert_consistent(diagram, analysis)


def assert_shortest_first(diagram: Diagram, analysis: LoopAnalysis) -> None:
    """Every loop of up to ``complete_up_to`` links is there, the rest are one length longer."""
    every = find_loops(diagram, NO_LIMITS).loops
    bound = analysis.complete_up_to
    assert bound is not None
    short = {loop.key for loop in every if loop.length <= bound}
    found = {loop.key for loop in analysis.loops}
    assert short <= found
    assert {loop.length for loop in analysis.loops if loop.key not in short} <= {bound + 1}
    assert_consistent(diagram, analysis)


def test_a_truncated_search_keeps_the_shortest_loops() -> None:
    diagram = complete_digraph(6)  # 409 loops of 2 to 6 links
    for limit in (1, 14, 15, 16, 50, 100, 408):
        analysis = find_loops(diagram, Budget(max_loops=limit, time_limit=None))
        assert len(analysis.loops) == limit and analysis.stopped_by == "loop limit"
        assert_shortest_first(diagram, analysis)
    assert find_loops(diagram, Budget(max_loops=50, time_limit=None)).complete_up_to == 2
    # A length bound keeps the order: Johnson's would have given loops of every length.
    first_50 = find_loops(diagram, Budget(max_loops=50, max_length=6, time_limit=None))
    assert max(loop.length for loop in first_50.loops) == 3
    assert_shortest_first(diagram, first_50)


def test_a_truncated_search_by_size_keeps_the_shortest_loops() -> None:
    diagram = complete_digraph(6)
    analysis = find_loops(diagram, Budget(max_loops=None, time_limit=None, max_members=100))
    assert analysis.stopped_by == "size limit"
    assert 90 < sum(loop.length for loop in analysis.loops) <= 100
    assert_shortest_first(diagram, analysis)


def test_the_summary_says_how_far_a_truncated_search_is_complete() -> None:
    analysis = find_loops(complete_digraph(6), Budget(max_loops=50, time_limit=None))
    assert analysis.summary_json()["complete"] is False and analysis.complete_up_to == 2
    assert "all loops of up to 2 links found" in analysis.summary_text()
    assert find_loops(complete_digraph(4), NO_LIMITS).complete_up_to is None


def test_loop_limit_equal_to_the_count_is_complete() -> None:
    analysis = find_loops(complete_digraph(5), Budget(max_loops=84, time_limit=None))
    assert len(analysis.loops) == 84 and analysis.complete


def test_zero_max_loops_means_no_limit() -> None:
    analysis = find_loops(complete_digraph(5), Budget(max_loops=0, time_limit=None))
    assert len(analysis.loops) == 84 and analysis.complete


def test_truncated_names_are_still_numbered_by_length() -> None:
    analysis = find_loops(complete_digraph(6), Budget(max_loops=50, time_limit=None))
    lengths = [loop.length for loop in analysis.loops]
    assert lengths == sorted(lengths)
    for prefix in "RBU":
        numbers = [int(loop.name[1:]) for loop in analysis.loops if loop.name[0] == prefix]
        assert numbers == list(range(1, len(numbers) + 1))


def test_size_limit_bounds_the_members_kept() -> None:
    diagram = complete_digraph(6)
    analysis = find_loops(diagram, Budget(max_loops=None, time_limit=None, max_members=100))
    assert not analysis.complete and analysis.stopped_by == "size limit"
    assert 0 < sum(loop.length for loop in analysis.loops) <= 100
    assert "(stopped at the memory bound for a listing;" in analysis.summary_text()
    assert_consistent(diagram, analysis)


def test_max_length_alone_can_give_a_complete_result() -> None:
    analysis = find_loops(complete_digraph(7), Budget(max_loops=None, max_length=2))
    assert analysis.complete and len(analysis.loops) == 21
    assert {loop.length for loop in analysis.loops} == {2}
    # The counts are of the loops looked for, and say so; a bound that no loop can reach
    # (7 variables: no loop is longer than 7 links) is no bound.
    assert analysis.max_length == 2 and analysis.summary_json()["max_length"] == 2
    assert analysis.summary_text().startswith("21 loops of up to 2 links: ")
    whole = find_loops(complete_digraph(7), Budget(max_loops=None, max_length=7))
    assert whole.max_length is None and whole.summary_json()["max_length"] is None


def test_a_result_bounded_in_length_is_recounted_after_an_edit() -> None:
    """An added link's loops of any length would not keep to the bound: no incremental
    update of a bounded result (the editor recounts)."""
    from cld_editor.analysis.incremental import updated_analysis

    diagram = complete_digraph(5)
    without = diagram.model_copy(update={"links": diagram.links[1:]})
    bounded = find_loops(without, Budget(max_loops=None, max_length=3))
    assert bounded.complete
    assert updated_analysis(bounded, without, diagram) is None


def test_time_limit_stops_a_search_that_would_take_hours() -> None:
    diagram = complete_digraph(12)  # about 10^8 loops
    analysis = find_loops(
        diagram, Budget(max_loops=None, time_limit=0.05, max_members=None), progress=None
    )
    assert not analysis.complete and analysis.stopped_by == "time limit"
    assert analysis.summary_text().startswith("at least ")
    assert_consistent(diagram, analysis)


def test_time_limit_with_a_length_bound() -> None:
    diagram = complete_digraph(12)
    budget = Budget(max_loops=None, max_length=9, time_limit=0.05, max_members=None)
    analysis = find_loops(diagram, budget)
    assert analysis.stopped_by == "time limit"
    assert all(loop.length <= 9 for loop in analysis.loops)
    assert_consistent(diagram, analysis)


def test_cancel_before_the_search_starts() -> None:
    analysis = find_loops(complete_digraph(12), NO_LIMITS, cancelled=lambda: True)
    assert analysis.loops == []
    assert not analysis.complete and analysis.stopped_by == "cancelled"


def test_cancel_during_the_search_drops_what_was_found() -> None:
    polls = 0

    def cancelled() -> bool:
        nonlocal polls
        polls += 1
        return polls > 3

    diagram = complete_digraph(12)
    analysis = find_loops(diagram, NO_LIMITS, cancelled=cancelled)
    assert analysis.stopped_by == "cancelled" and polls == 4
    # A cancelled run's loops are dropped rather than sorted and named: Stop returns at once;
    # the summary says how many it had found.
    assert analysis.loops == [] and analysis.found > 0
    assert analysis.summary_text() == (
        f"at least {analysis.found:,} loops (analysis stopped; none listed)"
    )
    assert_consistent(diagram, analysis)


def test_cancel_during_a_length_bounded_search() -> None:
    polls = 0

    def cancelled() -> bool:
        nonlocal polls
        polls += 1
        return polls > 3

    diagram = complete_digraph(12)
    budget = Budget(max_loops=None, max_length=8, time_limit=None, max_members=None)
    analysis = find_loops(diagram, budget, cancelled=cancelled)
    assert analysis.stopped_by == "cancelled" and not analysis.loops
    assert_consistent(diagram, analysis)


def test_progress_reports_growing_counts_and_the_final_count(monkeypatch) -> None:
    from cld_editor.analysis import engine

    # A report after every chunk rather than every 0.1 s: on a busy machine (another test's
    # thread, the compiled kernel loading) a one-second search may see only one 0.1 s tick.
    monkeypatch.setattr(engine, "PROGRESS_INTERVAL", 0.0)
    reports: list[int] = []
    analysis = find_loops(
        complete_digraph(12),
        Budget(max_loops=None, time_limit=1.0, max_members=None),
        progress=reports.append,
    )
    assert len(reports) >= 2
    # Growing while the search goes on (the shortest-first pass, which finds again what the
    # first search found, reports no fewer); the last report is the listing's count.
    assert reports[:-1] == sorted(reports[:-1])
    assert reports[-1] == len(analysis.loops)


def test_progress_on_a_quick_search_reports_the_result_once() -> None:
    reports: list[int] = []
    analysis = find_loops(complete_digraph(4), progress=reports.append)
    assert reports == [len(analysis.loops)] == [20]


def test_default_budget_matches_the_documentation() -> None:
    budget = Budget()
    assert (budget.max_loops, budget.time_limit, budget.max_length) == (100_000, 10.0, 0)


def test_the_summary_groups_thousands_in_every_count() -> None:
    analysis = find_loops(complete_digraph(7), NO_LIMITS)
    text = analysis.summary_text()
    counts = [analysis.count(p) for p in ("reinforcing", "balancing")]
    assert len(analysis.loops) >= 1000 and max(counts) >= 1000
    assert text.startswith(f"{len(analysis.loops):,} loops: ")
    assert f"{counts[0]:,} reinforcing" in text and f"{counts[1]:,} balancing" in text
    cancelled = LoopAnalysis(analysis.loops, False, "cancelled")
    assert cancelled.summary_text().startswith(f"at least {len(analysis.loops):,} loops (analysis")


@pytest.mark.parametrize("limit", [1, 30, 200, 1000])
def test_compiled_and_python_listings_agree_when_a_limit_binds(limit: int) -> None:
    pytest.importorskip("numba")
    diagram = complete_digraph(7)
    python = find_loops(diagram, Budget(max_loops=limit, time_limit=0), compiled=False)
    compiled = find_loops(diagram, Budget(max_loops=limit, time_limit=0), compiled=True)
    assert list(python.loops) == list(compiled.loops)
    assert (python.stopped_by, python.complete_up_to) == (
        compiled.stopped_by,
        compiled.complete_up_to,
    )
    assert python.loops_through == compiled.loops_through


def test_no_limits_is_the_one_way_to_lift_every_limit() -> None:
    assert Budget.no_limits() == Budget(0, 0, 0, 0) == Budget(None, None, None, None)
    assert Budget.no_limits().members_cap() > 0  # the memory guard stays
    with pytest.raises(ValueError):
        Budget(max_loops=-1)


def test_early_hands_out_the_shortest_loops_again_as_lengths_are_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As each further length is listed in full, the loops found so far are handed out again
    (at most once every EARLY_SOON_SECONDS while they are few, then EARLY_AGAIN_SECONDS), so
    that a window showing them keeps up with the count found so far; never the same loops
    twice."""
    from cld_editor.analysis import loops as module

    monkeypatch.setattr(module, "EARLY_AGAIN_SECONDS", 0.0)
    monkeypatch.setattr(module, "EARLY_SOON_SECONDS", 0.0)
    diagram = complete_digraph(7)
    seen: list[LoopAnalysis] = []
    final = find_loops(diagram, Budget(max_loops=500), early=seen.append, early_after=0.0)
    assert [a.complete_up_to for a in seen] == [2, 3, 4]
    assert [len(a.loops) for a in seen] == [21, 21 + 70, 21 + 70 + 210]
    listed = [loop.key for loop in final.loops]
    for early in seen:
        assert [loop.key for loop in early.loops] == listed[: len(early.loops)]


def test_early_hands_out_the_shortest_loops_once_while_the_search_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cld_editor.analysis import loops as module

    monkeypatch.setattr(module, "EARLY_AGAIN_SECONDS", 1e9)  # the first hand-out only
    monkeypatch.setattr(module, "EARLY_SOON_SECONDS", 1e9)
    diagram = complete_digraph(7)
    seen: list[LoopAnalysis] = []
    final = find_loops(diagram, Budget(max_loops=500), early=seen.append, early_after=0.0)
    [early] = seen
    assert early.stopped_by == "in progress" and early.complete_up_to == 1 + 1
    assert "(listed so far, still searching" in early.summary_text()
    every = {loop.key for loop in final.loops}
    assert {loop.key for loop in early.loops} <= every
    assert {loop.length for loop in early.loops} <= {2}
    # A search done before the hand-out would come hands out nothing: it lists every loop.
    done = find_loops(complete_digraph(4), Budget(), early=seen.append, early_after=5.0)
    assert len(seen) == 1 and done.complete


def test_with_early_the_first_search_gives_way_to_the_shortest_loops_when_it_is_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A window waiting for the shortest loops (``early``) gives the first search no longer
    than the hand-out may wait: one still going then is a big one, and the length-by-length
    listing hands out its shortest loops while it goes on (the first search of a World3-sized
    model in CPython took 1.6 s to reach the loop limit). Without a limit that binds, the
    listing ends complete all the same."""
    import time

    from cld_editor.analysis import engine

    budgets = []
    real_run = engine.KernelRun.run

    def run(self, deadline, cancelled, report, reserve, python_until, search_until, *rest):
        if self.store_length == -1:  # the first search
            budgets.append(search_until)
        return real_run(
            self, deadline, cancelled, report, reserve, python_until, search_until, *rest
        )

    monkeypatch.setattr(engine.KernelRun, "run", run)
    seen: list[LoopAnalysis] = []
    started = time.monotonic()
    whole = find_loops(complete_digraph(6), Budget(), early=seen.append, early_after=0.25)
    assert budgets and budgets[0] is not None and budgets[0] <= started + 0.3  # not 5 s
    assert whole.complete
    budgets.clear()
    find_loops(complete_digraph(6), Budget())  # a command: half of the time limit
    assert budgets[0] is not None and budgets[0] > started + 4.0
    # Cut short at once (a long search), the shortest loops come first, then all of them.
    full = find_loops(complete_digraph(6), Budget(max_loops=None), early=seen.append, early_after=0)
    assert full.complete and seen and seen[0].complete_up_to == 2
    assert [loop.key for loop in full.loops] == [
        loop.key for loop in find_loops(complete_digraph(6), Budget(max_loops=None)).loops
    ]


def test_a_diagram_too_large_for_the_shortest_first_pass_keeps_the_first_searchs_loops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cld_editor.analysis import loops as loops_module

    monkeypatch.setattr(loops_module, "SHORTEST_FIRST_MAX_WORK", 10)
    diagram = complete_digraph(6)
    analysis = find_loops(diagram, Budget(max_loops=50, time_limit=0))
    assert analysis.stopped_by == "loop limit" and analysis.complete_up_to is None
    assert len(analysis.loops) == 50 and max(loop.length for loop in analysis.loops) == 6
    lengths = [loop.length for loop in analysis.loops]
    assert lengths == sorted(lengths)  # named by length all the same
    assert_consistent(diagram, analysis)


def _ring_with_chords(n: int, chords: list[tuple[int, int]]) -> Diagram:
    """A ring of ``n`` variables (one loop of n links) and chords back along it, which make
    loops of every length from a few links up."""
    ids = [f"v{i}" for i in range(n)]
    pairs = [(i, (i + 1) % n) for i in range(n)] + chords
    links = [Link(id=f"{ids[s]}-{ids[t]}", source=ids[s], target=ids[t]) for s, t in pairs]
    return Diagram(variables=[Variable(id=v, x=0.0, y=0.0) for v in ids], links=links)


def _first_search_then_out_of_time(monkeypatch: pytest.MonkeyPatch, last_length: int) -> None:
    """The first search lists what it finds and then runs out of its share of the time; the
    shortest-first pass runs out of time at ``last_length`` + 1 links."""
    from cld_editor.analysis import engine

    real_run = engine.KernelRun.run

    def run(self, *args, **kwargs):
        if self.store_length == -1 and self.max_loops:  # the first search, given all its time
            real_run(self, *args[:5])
            raise engine.Stopped("time share")
        if self.store_length > last_length:
            raise engine.Stopped("time limit")
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(engine.KernelRun, "run", run)


def test_out_of_its_share_of_time_the_first_search_gives_way_to_the_shortest_loops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A first search that runs out of its share of the time (or whose listing is as long as
    can be written in time) lists long loops in any order; the time left goes to the
    shortest-first pass, whose loops are kept (with how far they are complete) even when they
    are fewer."""
    diagram = _ring_with_chords(12, [(5, 2), (9, 3), (11, 6), (7, 0)])
    every = find_loops(diagram, NO_LIMITS)
    _first_search_then_out_of_time(monkeypatch, last_length=6)
    analysis = find_loops(diagram, Budget(max_loops=None, time_limit=60.0, max_members=None))
    assert analysis.stopped_by == "time limit" and analysis.complete_up_to == 6
    assert [loop.key for loop in analysis.loops] == [
        loop.key for loop in every.loops if loop.length <= 6
    ]
    assert len(analysis.loops) < len(every.loops)  # fewer than the first search found
    assert_consistent(diagram, analysis)


def test_when_the_shortest_first_pass_finds_none_the_first_searchs_longer_loops_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    diagram = _ring_with_chords(12, [(5, 2), (9, 3), (11, 6), (7, 0)])
    every = find_loops(diagram, NO_LIMITS)
    shortest = min(loop.length for loop in every.loops)
    _first_search_then_out_of_time(monkeypatch, last_length=shortest - 1)
    analysis = find_loops(diagram, Budget(max_loops=None, time_limit=60.0, max_members=None))
    assert analysis.stopped_by == "time limit" and analysis.complete_up_to == shortest - 1
    assert [loop.key for loop in analysis.loops] == [loop.key for loop in every.loops]


def test_under_a_time_limit_the_first_search_gets_a_share_and_the_result_is_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With no share at all, the first search stops at once and the shortest-first pass lists
    every loop, complete, as one search would."""
    from cld_editor.analysis import loops as loops_module

    monkeypatch.setattr(loops_module, "FIRST_SEARCH_SHARE", 0.0)
    diagram = complete_digraph(5)
    analysis = find_loops(diagram, Budget(max_loops=None, time_limit=60.0, max_members=None))
    assert analysis.complete and analysis.stopped_by is None
    assert list(analysis.loops) == list(find_loops(diagram, NO_LIMITS).loops)


def test_stop_during_the_shortest_first_pass_keeps_the_lengths_listed_in_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stop while the listing goes length by length: every loop of the lengths done is kept
    (and said so), the length under way is dropped."""
    from cld_editor.analysis import engine

    real_run = engine.KernelRun.run

    def run(self, *args):
        if self.store_length >= 4:
            raise engine.Stopped("cancelled")
        return real_run(self, *args)

    monkeypatch.setattr(engine.KernelRun, "run", run)
    diagram = complete_digraph(7)
    analysis = find_loops(diagram, Budget(max_loops=300, time_limit=0))
    every = find_loops(diagram, NO_LIMITS)
    assert analysis.stopped_by == "cancelled" and analysis.complete_up_to == 3
    assert [loop.key for loop in analysis.loops] == [
        loop.key for loop in every.loops if loop.length <= 3
    ]
    assert "all loops of up to 3 links found" in analysis.summary_text()
    # more were found (the first search's 300) than the lengths listed in full hold
    assert analysis.found >= 300 > len(analysis.loops)
    assert (
        f"at least {analysis.found:,} loops (analysis stopped; {len(analysis.loops):,} listed"
        in (analysis.summary_text())
    )
    assert_consistent(diagram, analysis)


def test_a_diagram_without_loops_is_complete_when_the_first_search_gave_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first search out of its share before it finished, the shortest-first pass proves
    there is no loop: complete, not 'at least 0 loops (stopped at the time limit)'."""
    from cld_editor.analysis import loops as loops_module

    monkeypatch.setattr(loops_module, "FIRST_SEARCH_SHARE", -1.0)  # out of its share at once
    ids = [f"v{i}" for i in range(5)]
    links = [Link(id=f"l{i}", source=ids[i], target=ids[i + 1]) for i in range(4)]
    diagram = Diagram(variables=[Variable(id=v, x=0.0, y=0.0) for v in ids], links=links)
    analysis = find_loops(diagram, Budget(max_loops=None, time_limit=60.0, max_members=None))
    assert analysis.complete and analysis.stopped_by is None
    assert analysis.summary_text() == "0 loops"


def test_a_first_search_out_of_its_share_after_the_deadline_stopped_at_the_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No time left for the shortest-first pass: the first search's loops, said to be stopped
    by the time limit (never by 'the time share', an inner word)."""
    import time

    from cld_editor.analysis import engine

    real_run = engine.KernelRun.run

    def run(self, *args, **kwargs):
        real_run(self)  # to the end, whatever the clock says
        time.sleep(0.05)  # past the deadline
        raise engine.Stopped("time share")

    monkeypatch.setattr(engine.KernelRun, "run", run)
    diagram = complete_digraph(4)
    analysis = find_loops(diagram, Budget(max_loops=None, time_limit=0.01, max_members=None))
    assert analysis.stopped_by == "time limit"
    assert "time share" not in analysis.summary_text()
    assert_consistent(diagram, analysis)


def test_the_first_searchs_loops_kept_when_the_shortest_first_pass_finds_none_fit_the_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the shortest-first pass has found nothing it keeps back time to write the first
    search's loops (at most half of what is left), and if they are what is kept, only as many
    as can be written in the time left are: the time limit holds for the whole command."""
    import time

    from cld_editor.analysis import engine

    real_run = engine.KernelRun.run
    given: list[float] = []

    def run(self, *args, **kwargs):
        if self.store_length == -1:
            real_run(self)  # every loop, whatever the clock says
            raise engine.Stopped("time share")
        given.append(args[0])  # the deadline the shortest-first pass was given
        raise engine.Stopped("time limit")

    diagram = _ring_with_chords(12, [(5, 2), (9, 3), (11, 6), (7, 0)])
    every = find_loops(diagram, NO_LIMITS)
    assert len(every.loops) > 2
    monkeypatch.setattr(engine.KernelRun, "run", run)
    started = time.monotonic()
    analysis = find_loops(
        diagram,
        Budget(max_loops=None, time_limit=60.0, max_members=None),
        reserve_per_loop=20.0,  # 2 loops can be written in the minute, not 3
    )
    assert given and given[0] < started + 31.0  # half the time kept for the first search's
    assert analysis.stopped_by == "time limit"
    assert [loop.key for loop in analysis.loops] == [loop.key for loop in every.loops[:2]]


@pytest.mark.parametrize("step", ["join", "sort"])
def test_stop_after_the_search_while_its_loops_are_joined_or_sorted(
    monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """Stop once the search is done but its loops are still being joined or sorted by length
    (seconds for millions of loops): each step looks at the flag between chunks, and the run
    ends as a stop during the search does, its loops dropped. (The loops through each variable
    are not counted unless asked for.)"""
    from cld_editor.analysis import engine, table

    monkeypatch.setattr(table, "CHUNK_MEMBERS", 16)
    searched = []
    real_run = engine.KernelRun.run

    def run(self, *args):
        status = real_run(self, *args)
        searched.append(status)
        return status

    monkeypatch.setattr(engine.KernelRun, "run", run)
    polls = {"join": 0, "sort": 0}
    where = {"concatenated": "join", "sorted_by_length": "sort"}

    def cancelled() -> bool:
        if not searched:
            return False
        import inspect

        for frame in inspect.stack()[1:4]:
            if frame.function in where:
                polls[where[frame.function]] += 1
                return where[frame.function] == step
        return False

    diagram = complete_digraph(7)
    analysis = find_loops(diagram, NO_LIMITS, compiled=True, cancelled=cancelled)
    assert searched
    assert analysis.stopped_by == "cancelled" and not analysis.complete
    assert not analysis.loops and sum(analysis.loops_through.values()) == 0
    assert analysis.found == len(find_loops(diagram, NO_LIMITS).loops)  # all found, none listed
    assert polls[step] >= 1
    # Without a stop, the chunked steps give what they gave whole.
    whole = find_loops(diagram, NO_LIMITS, compiled=True)
    monkeypatch.setattr(table, "CHUNK_MEMBERS", 1 << 22)
    assert [loop.key for loop in whole.loops] == [
        loop.key for loop in find_loops(diagram, NO_LIMITS, compiled=True).loops
    ]
    assert_consistent(diagram, whole)


@pytest.mark.parametrize(("time_limit", "loads"), [(1.0, False), (4.0, True), (0, True)])
def test_the_compiled_kernel_is_loaded_only_where_the_time_left_can_use_it(
    monkeypatch: pytest.MonkeyPatch, time_limit: float, loads: bool
) -> None:
    """A search still in CPython after a moment has the compiled kernel loaded in the
    background (about 0.7 s), unless its time limit ends before the load would pay: the
    program waits for a load in progress before it ends, past the limit."""
    import threading

    from cld_editor.analysis import engine

    monkeypatch.setattr(engine, "warmed", threading.Event())  # not loaded in this test
    from cld_editor.analysis import loops

    monkeypatch.setattr(loops, "PYTHON_SECONDS", 0.0)
    asked = []
    monkeypatch.setattr(engine, "warm_up", lambda: asked.append(True))
    polls = []

    def cancelled() -> bool:
        polls.append(True)
        return len(polls) > 3

    budget = Budget(max_loops=0, time_limit=time_limit)
    find_loops(complete_digraph(12), budget, cancelled=cancelled, compiled=None)
    assert bool(asked) is loads


def test_a_stopped_searchs_summary_splits_the_loops_listed_not_those_found() -> None:
    """'at least 1,000 loops (analysis stopped; 3 listed: 2 reinforcing, 1 balancing)': the
    split by kind is of the loops listed, and a length bound is still said."""
    listed = find_loops(complete_digraph(3), NO_LIMITS)
    kinds = ", ".join(
        f"{listed.count(k)} {k}" for k in ("reinforcing", "balancing") if listed.count(k)
    )
    stopped = LoopAnalysis(listed.loops, False, "cancelled", found=1000, max_length=3)
    n = len(listed.loops)
    assert stopped.summary_text() == (
        f"at least 1,000 loops of up to 3 links (analysis stopped; {n} listed: {kinds})"
    )
    none = LoopAnalysis([], False, "cancelled", found=1000)
    assert none.summary_text() == "at least 1,000 loops (analysis stopped; none listed)"
