"""How long the editor window stops answering while Arrange lays out a big diagram.

Run ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_arrange_responsiveness.py [N]`` (N
variables, default 1,000; the loop-rich diagrams of ``bench_layout.py``). For each style, a
10 ms timer runs in the window's event loop while the diagram is arranged twice:

- baseline: Arrange waiting for its layout however long it takes, as it did before it had a
  worker (the event loop stands still for the whole layout), then applying it;
- background: Arrange as the user starts it (it waits at most ``WAIT_MS`` and leaves the rest
  of the layout to the worker thread).

Both end when the layout is applied as one undo step and the items have glided to their places;
the diagram starts from scattered positions each time.

It prints the longest gap between two timer ticks and the median gap (10 ms when the window
answers at once), and the share of the baseline's longest gap that remains. Wall-clock times of
a shared machine: compare the two columns of one run, not runs with each other.
"""

from __future__ import annotations

import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if __package__ in (None, ""):  # run as a script: make `cld_editor` and the benches importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_layout import loopy_diagram
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from cld_editor.layout import STYLES
from cld_editor.ui.window.arrange_actions import WAIT_MS


def gaps_while(app: QApplication, start, running) -> tuple[list[float], float]:
    """Gaps (s) between the ticks of a 10 ms timer while ``start()``'s work runs, and the
    wall time it took (also used by bench_report_responsiveness)."""
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    app.processEvents()
    began = time.perf_counter()
    ticks.append(began)
    start()
    while running():
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()
    ticks.append(time.perf_counter())
    timer.stop()
    return [b - a for a, b in itertools.pairwise(ticks)], ticks[-1] - began


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / "cld-editor-bench-settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    from cld_editor.ui.window.main_window import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.runner.stop()  # the loop analysis would compete for the processor: measure Arrange
    diagram = loopy_diagram(n, seed=n)
    rng = random.Random(n)
    scattered = [
        v.model_copy(update={"x": rng.uniform(0, 60 * n**0.5), "y": rng.uniform(0, 40 * n**0.5)})
        for v in diagram.variables
    ]
    window.files.load_diagram(diagram.model_copy(update={"variables": scattered}), None)
    app.processEvents()
    print(f"{n:,} variables: longest / median gap of a 10 ms timer while arranging (s)")
    print(f"{'style':8} {'on the GUI thread':>20} {'in the background':>20} {'remains':>8}")
    arrange = window.arrange

    def busy() -> bool:
        return arrange.runner.running or arrange.glide.running

    for style in STYLES:
        found = []
        for wait in (600_000, WAIT_MS):
            arrange.wait_ms = wait
            found.append(gaps_while(app, lambda s=style: arrange.arrange(s), busy)[0])
            window.undo_stack.undo()
        base, back = found
        cells = [f"{max(g):7.2f} / {statistics.median(g):5.3f}" for g in (base, back)]
        print(f"{style:8} {cells[0]:>20} {cells[1]:>20} {max(back) / max(base):7.0%}")
    window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
