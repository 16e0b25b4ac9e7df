"""The reserves a listing keeps from its time limit for writing its loops out are measured on
the machine (``find_loops(output_seconds=...)``): a sample of the loops of the first length with
enough of them is timed as the caller writes them, and the reserves scaled to match. Here the
caller's timing is a stand-in that says what it is told to, so nothing depends on a clock."""

from __future__ import annotations

from cld_editor.analysis import loops as loops_module
from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.analysis.table import LoopList, LoopTable
from tests.analysis.test_loop_budget import complete_digraph

K8 = complete_digraph(8)
# K8's loops by length: 28 of 2 links, 112 of 3, 420 of 4, 1,344 of 5, 3,360 of 6...
UP_TO_5 = 28 + 112 + 420 + 1344
# 10,000 loops at 1 ms each: 10 s of reserve, a third of the time limit, so it matters.
BUDGET = Budget(max_loops=10_000, time_limit=30.0)


def test_a_slow_output_measured_stops_the_listing_at_the_length_it_was_measured_on() -> None:
    samples: list[LoopTable] = []

    def output_seconds(table: LoopTable) -> float:
        samples.append(table)
        return len(table) * 1.0  # a second a loop: 1,904 loops cannot be written in 30 s

    analysis = find_loops(K8, BUDGET, reserve_per_loop=1e-3, output_seconds=output_seconds)
    assert analysis.stopped_by == "time limit"
    assert analysis.complete_up_to == 5 and len(analysis.loops) == UP_TO_5
    # Timed: one loop, and the first of the 1,344 loops of 5 links (what each loop adds).
    assert [len(sample) for sample in samples] == [1344, 1]
    first_of_five = [loop.variables for loop in analysis.loops[UP_TO_5 - 1344 :]]
    assert [loop.variables for loop in LoopList(samples[0])] == first_of_five
    assert [loop.variables for loop in LoopList(samples[1])] == first_of_five[:1]


def test_the_same_listing_unmeasured_keeps_to_its_reserves() -> None:
    analysis = find_loops(K8, BUDGET, reserve_per_loop=1e-3)
    assert analysis.stopped_by == "loop limit" and len(analysis.loops) == 10_000


def test_a_quick_output_measured_lets_the_listing_run_to_its_other_limits() -> None:
    # 10 ms a loop: 3,000 loops fill the 30 s, so the listing stops in the loops of 6 links
    # (a search chunk may store more); measured as next to nothing, it runs to the loop limit.
    kept = find_loops(K8, BUDGET, reserve_per_loop=0.01)
    assert kept.stopped_by == "time limit" and UP_TO_5 < len(kept.loops) < 10_000
    measured = find_loops(
        K8, BUDGET, reserve_per_loop=0.01, output_seconds=lambda table: len(table) * 1e-9
    )
    assert measured.stopped_by == "loop limit" and len(measured.loops) == 10_000


def test_nothing_is_measured_where_the_reserves_cannot_matter() -> None:
    calls = []

    def output_seconds(table: LoopTable) -> float:
        calls.append(table)
        return 0.0

    # Without a time limit, and with one the loops the budget lets through are written in a
    # small share of.
    for limit in (0, 1e6):
        budget = Budget(max_loops=10_000, time_limit=limit)
        find_loops(K8, budget, reserve_per_loop=1e-3, output_seconds=output_seconds)
    assert calls == []


def test_a_measure_that_says_nothing_keeps_the_reserves_given(monkeypatch) -> None:
    """A sample that took no longer than one loop (a clock too coarse) is no measure."""
    seen = []
    real = loops_module._calibrated

    def calibrated(*args, **kwargs):
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(loops_module, "_calibrated", calibrated)
    analysis = find_loops(K8, BUDGET, reserve_per_loop=1e-3, output_seconds=lambda table: 0.5)
    assert seen == [None]
    assert analysis.stopped_by == "loop limit" and len(analysis.loops) == 10_000
