"""Loop analysis on a dense diagram: does ``find_loops`` keep to its budget, and stop quickly?

Run: ``python -m benchmarks.bench_dense_analysis [--variables 60] [--links 600] [--seed 1]``.
A diagram this dense has astronomically many loops, so every run ends on a limit. Measured:

* the default budget (100,000 loops, 10 s): time, loops, truncation, tracemalloc peak;
* a time limit alone (no loop limit): how far past the limit the call returns;
* no loop or time limit: where the member (size) limit stops it, and its memory;
* cancelling from another thread, as the GUI's analysis runner does: the latency from the
  moment ``cancelled()`` starts answering True to the return of ``find_loops``;
* the gaps between ``progress`` calls (the GUI's progress display depends on them);
* the baseline, in the same run: networkx's ``simple_cycles`` generator on the same graph
  producing the same number of cycles, with no classification or naming (ratio printed).

No assertion on time: the figures are printed to be read and compared across machines.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import threading
import time
import tracemalloc
from itertools import islice, pairwise

import networkx as nx

from cld_editor.analysis import loops as loops_module
from cld_editor.analysis.engine import warm_up, warmed
from cld_editor.analysis.loops import Budget, LoopAnalysis, find_loops
from cld_editor.core.model import Diagram

try:
    from benchmarks.diagrams import random_diagram
except ImportError:  # run as a script from inside benchmarks/
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from benchmarks.diagrams import random_diagram


def timed_analysis(diagram: Diagram, budget: Budget) -> tuple[LoopAnalysis, float]:
    started = time.perf_counter()
    analysis = find_loops(diagram, budget)
    return analysis, time.perf_counter() - started


def traced_peak(diagram: Diagram, budget: Budget) -> float:
    """Peak of Python allocations during one analysis, MiB (tracing slows the run down)."""
    tracemalloc.start()
    try:
        find_loops(diagram, budget)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def networkx_baseline(diagram: Diagram, count: int) -> float:
    graph = nx.DiGraph()
    graph.add_nodes_from(v.id for v in diagram.variables)
    graph.add_edges_from((link.source, link.target) for link in diagram.links)
    started = time.perf_counter()
    found = sum(1 for _ in islice(nx.simple_cycles(graph), count))
    elapsed = time.perf_counter() - started
    assert found == count, f"networkx found only {found} cycles"
    return elapsed


class NamingTimer:
    """Times the classification and naming that follow the search (a private function of
    loops.py, wrapped here only to say where the time after a cancel or a limit goes), and the
    cyclic garbage collector's passes (``gc_seconds``)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.gc_seconds = 0.0
        self._gc_started = 0.0
        self._original = getattr(loops_module, "_named_loops", None)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_seconds += time.perf_counter() - self._gc_started

    def __enter__(self) -> NamingTimer:
        gc.callbacks.append(self._on_gc)
        original = self._original
        if original is not None:

            def timed(*args: object, **kwargs: object) -> object:
                started = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    self.seconds += time.perf_counter() - started

            loops_module._named_loops = timed  # type: ignore[attr-defined]
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._on_gc)
        if self._original is not None:
            loops_module._named_loops = self._original  # type: ignore[attr-defined]


def cancel_latency(diagram: Diagram, after: float) -> tuple[float, NamingTimer, LoopAnalysis]:
    """Cancel an unlimited analysis ``after`` seconds in: seconds from cancel to return, and
    the naming and garbage-collection times (GC over the whole run)."""
    with NamingTimer() as timer:
        latency, analysis = _cancel_latency(diagram, after)
    return latency, timer, analysis


def _cancel_latency(diagram: Diagram, after: float) -> tuple[float, LoopAnalysis]:
    cancel = threading.Event()
    result: list[LoopAnalysis] = []
    returned: list[float] = []

    def work() -> None:
        result.append(find_loops(diagram, Budget(None, None, None, None), cancelled=cancel.is_set))
        returned.append(time.perf_counter())

    worker = threading.Thread(target=work)
    worker.start()
    time.sleep(after)
    cancelled_at = time.perf_counter()
    cancel.set()
    worker.join(timeout=120)
    if worker.is_alive():
        raise RuntimeError("find_loops did not return within 120 s of being cancelled")
    return returned[0] - cancelled_at, result[0]


def progress_gaps(diagram: Diagram, budget: Budget) -> tuple[int, float]:
    calls: list[float] = [time.perf_counter()]
    find_loops(diagram, budget, progress=lambda n: calls.append(time.perf_counter()))
    gaps = [b - a for a, b in pairwise(calls)]
    return len(calls) - 1, max(gaps) if gaps else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variables", type=int, default=60)
    parser.add_argument("--links", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=0.5, help="for the time-only run")
    args = parser.parse_args(argv)
    diagram = random_diagram(args.variables, args.links / args.variables, args.seed)
    # The editor loads the compiled kernel once per session: time the searches after that.
    warm_up()
    warmed.wait()
    print(f"Dense diagram: {len(diagram.variables)} variables, {len(diagram.links)} links")
    if hasattr(os, "getloadavg"):
        print(f"(machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")

    default = Budget()
    analysis, elapsed = timed_analysis(diagram, default)
    n = len(analysis.loops)
    print(
        f"Default budget ({default.max_loops:,} loops, {default.time_limit:.0f} s): "
        f"{elapsed:.2f} s, {n:,} loops, complete={analysis.complete}, "
        f"stopped by {analysis.stopped_by}"
    )
    print(f"  summary: {analysis.summary_text()}")
    print(f"  tracemalloc peak: {traced_peak(diagram, default):.0f} MiB")
    baseline = networkx_baseline(diagram, n)
    print(
        f"  networkx simple_cycles, same {n:,} cycles, no classification: {baseline:.2f} s "
        f"(find_loops / networkx = {elapsed / baseline:.2f})"
    )

    limit = args.time_limit
    timed = Budget(max_loops=None, time_limit=limit)
    with NamingTimer() as naming:
        analysis, elapsed = timed_analysis(diagram, timed)
    print(
        f"Time limit {limit:.1f} s, no loop limit: returned after {elapsed:.2f} s "
        f"({(elapsed - limit) * 1000:+.0f} ms past the limit, {naming.seconds * 1000:.0f} ms "
        f"naming, GC {naming.gc_seconds * 1000:.0f} ms), {len(analysis.loops):,} loops, "
        f"stopped by {analysis.stopped_by}"
    )
    members = Budget(max_loops=None, time_limit=None)
    analysis, elapsed = timed_analysis(diagram, members)
    print(
        f"No loop or time limit (default member limit {members.max_members:,}): "
        f"{elapsed:.2f} s, {len(analysis.loops):,} loops, stopped by {analysis.stopped_by}; "
        f"tracemalloc peak {traced_peak(diagram, members):.0f} MiB"
    )

    latencies = []
    for after in (0.05, 0.2, 0.5, 1.0, 2.0):
        latency, timer, cancelled = cancel_latency(diagram, after)
        latencies.append(latency)
        print(
            f"Cancel after {after:.2f} s: returned {latency * 1000:.0f} ms later "
            f"({timer.seconds * 1000:.0f} ms naming; cyclic GC {timer.gc_seconds * 1000:.0f} ms "
            f"in the whole run), {len(cancelled.loops):,} loops, stopped by {cancelled.stopped_by}"
        )
    print(
        f"  cancel latency: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )

    calls, gap = progress_gaps(diagram, Budget(max_loops=None, time_limit=2.0))
    print(f"Progress over a 2 s run: {calls} calls, longest gap {gap * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
