"""Benchmark of live loop analysis through the real main window (offscreen): how long from an
edit to the Loops panel showing the loops of the edited diagram, and how fast Stop returns.

Run ``python benchmarks/bench_live.py`` (two to three minutes). For random diagrams of 20
variables / 40 links, 100 / 150 and 100 / 300, each edit flips one link's sign, adds a link or
removes it
(pushed on the window's undo stack as a gesture would), after a pause longer than the debounce
delay, as when a person edits; the time runs until the panel holds the analysis of the new
revision. The same edits are timed with the runner as it was before (every edit waits out the
250 ms debounce, every analysis is a full search) as the baseline, and the ratio printed.

Stop: an unlimited analysis of a dense diagram is stopped after 0.5 s; the time until the run
has ended and the window shows its result, and the longest stall of the event loop in the second
after it (a 5 ms timer's largest gap) are printed; the time from an edit of a World3-sized
diagram (the default budget binds) to its shortest loops in the panel; then Stop 0.5, 1 and 1.5 s
into listing all 1,941,334 loops of that diagram (on a quiet machine the listing ends within
3 s). Then the first again, stopped after 1 s, as the first
time on a machine, in a fresh process with an empty numba cache, whose compile starts 0.4 s
into the search: compiled in a child process (as the editor does) beside compiled in the
process itself (the baseline), with the longest stall of the event loop until the compile is
done. The last line is exactly
``bench_live: 100 variables 150 links: edit to loops panel p50 X ms p95 Y ms``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.bench_census import world3_sized
from benchmarks.diagrams import random_diagram
from cld_editor.analysis.budget import Budget
from cld_editor.analysis.engine import warm_up, warmed
from cld_editor.core import edits
from cld_editor.core.model import Diagram
from cld_editor.ui.undo import push_op
from cld_editor.ui.window import analysis_runner
from cld_editor.ui.window.main_window import MainWindow

EDITS = 30
PAUSE = 0.35  # seconds between edits: longer than the 250 ms debounce
CASES = [(20, 40, 3), (100, 150, 1), (100, 300, 2)]


def pump(until: Callable[[], bool], timeout: float = 60.0) -> None:
    app = QApplication.instance()
    end = time.monotonic() + timeout
    while not until():
        if time.monotonic() > end:
            raise TimeoutError("the loops panel did not catch up")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 2)


def idle(seconds: float) -> None:
    end = time.monotonic() + seconds
    pump(lambda: time.monotonic() >= end)


def shown(window: MainWindow) -> bool:
    runner = window.runner
    return not runner.pending and window.loops_panel.analysis is runner.analysis


def edit_times(window: MainWindow, diagram: Diagram, seed: int) -> list[float]:
    """Seconds from each edit to the Loops panel showing its loops."""
    window.files.load_diagram(diagram, None)
    pump(lambda: shown(window))
    rng = random.Random(seed)
    ids = [v.id for v in diagram.variables]
    times = []
    for k in range(EDITS):
        idle(PAUSE)
        doc = window.document
        action = k % 3
        if action == 0 or not doc.links:
            op = edits.cycle_polarity(doc, rng.choice(list(doc.links)))
        elif action == 1:
            taken = {(link.source, link.target) for link in doc.links.values()}
            free = [(s, t) for s in ids for t in ids if s != t and (s, t) not in taken]
            s, t = rng.choice(free)
            op = edits.add_link(doc, s, t)
        else:
            op = edits.delete(doc, [], [rng.choice(list(doc.links))])
        started = time.perf_counter()
        push_op(window.undo_stack, doc, op)
        pump(lambda: shown(window))
        times.append(time.perf_counter() - started)
    return times


class OldRunner:
    """The runner as it was: every edit waits out the debounce, no incremental analysis."""

    def __enter__(self) -> OldRunner:
        self.schedule = analysis_runner.AnalysisRunner.schedule
        self.updated = analysis_runner.updated_analysis

        def schedule(runner: analysis_runner.AnalysisRunner) -> None:
            if not runner._stopped:
                runner._timer.start(analysis_runner.DEBOUNCE_MS)

        analysis_runner.AnalysisRunner.schedule = schedule  # type: ignore[method-assign]
        analysis_runner.updated_analysis = lambda *args, **kwargs: None  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        analysis_runner.AnalysisRunner.schedule = self.schedule  # type: ignore[method-assign]
        analysis_runner.updated_analysis = self.updated


def first_loops_times(window: MainWindow, diagram: Diagram, edits_made: int = 8) -> list[float]:
    """Seconds from an edit (a sign flipped, after a pause) to the Loops panel showing loops
    of the edited diagram, the shortest ones handed out while the search goes on."""
    window.files.load_diagram(diagram, None)
    pump(lambda: shown(window), timeout=120)
    doc = window.document
    times = []
    for k in range(edits_made):
        idle(1.5)
        before = window.loops_panel.analysis
        link_id = sorted(doc.links)[k * 7 % len(doc.links)]
        started = time.perf_counter()
        push_op(window.undo_stack, doc, edits.cycle_polarity(doc, link_id))
        pump(
            lambda b=before: (
                window.loops_panel.analysis not in (b, None)
                and len(window.loops_panel.analysis.loops) > 0
            )
        )
        times.append(time.perf_counter() - started)
        pump(lambda: shown(window))
    return times


class Ticks:
    """A 5 ms timer's ticks, from now on: its longest gap is the event loop's longest stall."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.timer.start()

    def longest_gap(self, since: float | None = None) -> float:
        """The longest gap between ticks (from ``since`` on, else from the start)."""
        self.timer.stop()
        first = self.started if since is None else since
        ticks = [t for t in self.ticks if t > first]
        return max((b - a for a, b in zip([first, *ticks], ticks, strict=False)), default=0.0)


def stopped_after(
    window: MainWindow, seconds: float, diagram: Diagram | None = None
) -> tuple[float, float]:
    """(seconds from Stop, ``seconds`` into an unlimited analysis of ``diagram`` (a dense
    one by default), to the window showing the stopped run; when the analysis was seen
    running, after the load)."""
    window.runner.budget = Budget.no_limits()
    # An empty diagram first: the same diagram again would be followed from its last result.
    window.files.load_diagram(Diagram(), None)
    pump(lambda: shown(window))
    window.files.load_diagram(diagram or random_diagram(60, 10.0, 1), None)
    pump(lambda: window.runner.running)
    running = time.perf_counter()
    idle(seconds)
    started = time.perf_counter()
    window.runner.cancel()
    pump(lambda: shown(window) and not window.runner.running)
    return time.perf_counter() - started, running


def stop_latency(window: MainWindow) -> tuple[float, float]:
    """(seconds from Stop to the window showing the stopped run, longest event-loop stall in
    the second after it)."""
    latency, _running = stopped_after(window, 0.5)
    ticks = Ticks()
    idle(1.0)
    window.runner.budget = Budget()
    return latency, ticks.longest_gap()


def first_run(where: str) -> None:
    """In a fresh process with an empty numba cache: Stop 1 s into an unlimited analysis, while
    the kernel is compiled in a child process (``where == "child"``) or in this one; prints
    (Stop latency, longest event-loop stall from the start of the analysis until the compile is
    done, compile seconds) as JSON."""
    import json

    from cld_editor.analysis import precompile

    if where != "child":
        precompile.compile_in_child = lambda: False  # type: ignore[assignment]
    app = QApplication.instance() or QApplication(sys.argv)
    window = MainWindow()
    window.show()
    ticks = Ticks()
    latency, running = stopped_after(window, 1.0)
    pump(warmed.is_set, timeout=600)
    compiled = time.perf_counter() - ticks.started
    gaps = [ticks.longest_gap(since=running)]  # the load of the diagram itself left out
    print(json.dumps([latency, gaps[0], compiled]))
    window.shutdown()
    app.processEvents()


def first_runs() -> dict[str, tuple[float, float, float]]:
    """:func:`first_run` both ways, each in a fresh process with a fresh numba cache."""
    import json
    import subprocess

    results = {}
    for where in ("child", "here"):
        with tempfile.TemporaryDirectory(prefix="bench-live-numba-") as cache:
            env = dict(os.environ, NUMBA_CACHE_DIR=cache, HOME=cache)
            env.pop("CLD_EDITOR_NO_NUMBA", None)
            done = subprocess.run(
                [sys.executable, __file__, "--first-run", where],
                env=env, capture_output=True, text=True, timeout=900, check=True,
            )  # fmt: skip
            results[where] = tuple(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    folder = tempfile.mkdtemp(prefix="bench-live-")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    app = QApplication.instance() or QApplication(sys.argv)
    warm_up()  # the editor loads the compiled kernel once per session, on a worker thread
    warmed.wait(60)
    window = MainWindow()
    window.show()
    results = {}
    for n, m, seed in CASES:
        diagram = random_diagram(n, m / n, seed)
        new = edit_times(window, diagram, seed)
        with OldRunner():
            old = edit_times(window, diagram, seed)
        p50, p95 = percentile(new, 0.5) * 1000, percentile(new, 0.95) * 1000
        o50, o95 = percentile(old, 0.5) * 1000, percentile(old, 0.95) * 1000
        results[n, m] = (p50, p95)
        print(
            f"{n} variables {m} links: edit to loops panel p50 {p50:.0f} ms p95 {p95:.0f} ms "
            f"(mean {statistics.mean(new) * 1000:.0f}); before: p50 {o50:.0f} ms p95 {o95:.0f} ms; "
            f"ratio p50 {p50 / o50:.2f}"
        )
    latency, stall = stop_latency(window)
    print(
        f"Stop during an unlimited analysis (60 variables, 600 links): returned in "
        f"{latency * 1000:.0f} ms; longest event-loop stall in the next second "
        f"{stall * 1000:.0f} ms"
    )
    world3 = world3_sized()
    first = first_loops_times(window, world3)
    print(
        f"Where the budget binds (World3-sized, default budget): edit to the shortest loops "
        f"shown p50 {percentile(first, 0.5) * 1000:.0f} ms, longest {max(first) * 1000:.0f} ms "
        "(goal under 300)"
    )
    # A listing of millions of loops: Stop must answer at once at every stage of it.
    late = []
    for seconds in (0.5, 1.0, 1.5):
        latency = stopped_after(window, seconds, world3)[0]
        done = window.runner.analysis is not None and window.runner.analysis.complete
        late.append(f"{latency * 1000:.0f}" + (" (it had ended)" if done else ""))
    window.runner.budget = Budget()
    print(
        "Stop 0.5, 1 and 1.5 s into listing every loop of a World3-sized diagram (1,941,334 "
        "loops, no limits): returned in " + ", ".join(late) + " ms"
    )
    window.shutdown()
    window.deleteLater()
    app.processEvents()
    first = first_runs()
    (child, child_stall, child_time), (here, here_stall, here_time) = first["child"], first["here"]
    print(
        f"The first time on a machine (compile {child_time:.1f} s): Stop returned in "
        f"{child * 1000:.0f} ms, longest stall until the compile was done "
        f"{child_stall * 1000:.0f} ms; compiled in the process itself (baseline, "
        f"{here_time:.1f} s): {here * 1000:.0f} ms, stall {here_stall * 1000:.0f} ms; "
        f"ratio {child / max(here, 1e-9):.2f} and {child_stall / max(here_stall, 1e-9):.2f}"
    )
    p50, p95 = results[100, 150]
    head = "bench_live: 100 variables 150 links: edit to loops panel"
    print(f"{head} p50 {p50:.0f} ms p95 {p95:.0f} ms")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--first-run"]:
        first_run(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
