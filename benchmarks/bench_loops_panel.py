"""Benchmark of the Loops panel's work per row against the scans it replaced, side by side in one
run: finding one loop's row (a selected loop label's, or the row kept selected across a new
analysis), and filtering to the loops that cross CX and EX.

Run ``python benchmarks/bench_loops_panel.py``. For the complete digraph K9 (125,664 loops,
kept in plain lists by the pure-Python search and in arrays by the compiled one) it times
:func:`~cld_editor.ui.window.panels.loops_view.rows_with_key` for the last loop against
building each Loop in turn until its key matches, and the Domains filter of
:class:`~cld_editor.ui.window.panels.loops_view.LoopsView` against a list comprehension over the
Loops (what a table kept in lists was filtered with). It prints both and the ratios.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QCoreApplication

from benchmarks.bench_census import complete_digraph
from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.analysis.table import LoopList
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram
from cld_editor.ui.window.panels.loops_model import LoopsTableModel, domains_text
from cld_editor.ui.window.panels.loops_view import LoopsView, rows_with_key


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


def filter_scan(loops) -> list[int]:
    """The baseline filter: one Loop built and read per row."""
    fresh = LoopList(loops.table) if isinstance(loops, LoopList) else loops
    return [i for i, loop in enumerate(fresh) if domains_text(loop.domains) == "CX + EX"]


def tagged(diagram: Diagram) -> Diagram:
    domains = ("CX", "EX", None)
    variables = [
        v.model_copy(update={"domain": domains[i % 3]}) for i, v in enumerate(diagram.variables)
    ]
    return diagram.model_copy(update={"variables": variables})


def main() -> None:
    QCoreApplication.instance() or QCoreApplication([])
    diagram = tagged(complete_digraph(9))
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
        model = LoopsTableModel(Document(diagram))
        model.set_loops(loops)
        baseline = best_of(3, lambda loops=loops: filter_scan(loops))
        # Turning a list table into arrays happens once per analysis: timed within the first.
        fresh = LoopsView()
        start = time.perf_counter()
        fresh.setSourceModel(model)
        fresh.set_domains(3)
        first = time.perf_counter() - start
        found = best_of(3, lambda view=fresh: (view.set_domains(None), view.set_domains(3)))
        assert list(fresh.source_rows()) == filter_scan(loops)
        print(
            f"K9 {kind:8} CX + EX filter: scan {baseline * 1000:8.1f} ms, "
            f"LoopsView {first * 1000:6.1f} ms the first time, {found * 1000:6.1f} ms after "
            f"(two refreshes), {baseline / first:5.0f}x / {baseline / found:5.0f}x faster"
        )


if __name__ == "__main__":
    main()
