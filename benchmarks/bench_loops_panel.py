"""Benchmark of finding one loop's row in the Loops panel (a selected loop label's, or the row
kept selected across a new analysis) against the scan it replaced, side by side in one run.

Run ``python benchmarks/bench_loops_panel.py``. For the complete digraph K9 (125,664 loops,
kept in plain lists by the pure-Python search and in arrays by the compiled one) it times
:func:`~cld_editor.ui.window.panels.loops_view.rows_with_key` for the last loop, and the
baseline: building each Loop in turn until its key matches. It prints both and the ratio.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_census import complete_digraph
from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.analysis.table import LoopList
from cld_editor.ui.window.panels.loops_view import rows_with_key


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def scan(loops, key: tuple[str, ...]) -> int:
    """The baseline: each Loop built (afresh, as a table of over 100,000 loops does) until
    one has ``key``."""
    fresh = LoopList(loops.table) if isinstance(loops, LoopList) else loops
    return next(i for i, loop in enumerate(fresh) if loop.key == key)


def main() -> None:
    diagram = complete_digraph(9)
    for compiled in (False, True):
        try:
            analysis = find_loops(diagram, Budget.no_limits(), compiled=compiled)
        except ImportError:
            continue
        loops = analysis.loops
        key = loops[len(loops) - 1].key
        assert rows_with_key(loops, key) == [len(loops) - 1]

        baseline = best_of(3, lambda loops=loops, key=key: scan(loops, key))
        found = best_of(3, lambda loops=loops, key=key: rows_with_key(loops, key))
        kind = "compiled" if compiled else "python"
        print(
            f"K9 {kind:8} {len(loops):,} loops: scan {baseline * 1000:8.1f} ms, "
            f"rows_with_key {found * 1000:6.1f} ms, {baseline / found:5.0f}x faster"
        )


if __name__ == "__main__":
    main()
