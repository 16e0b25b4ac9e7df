"""How long the editor window stops answering during File > Export Report on a big diagram.

Run ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_report_responsiveness.py [N]`` (a
random diagram of N variables with 4 links each, default 1,500: 6,000 links). A 10 ms timer
runs in the window's event loop while the report is written twice, as HTML:

- baseline: the report made on the GUI thread, as Export Report did before it had workers
  (``export_actions.export_report_with_dialog``, the loops found on the GUI thread too when
  the window's analysis is not ready);
- background: Export Report as the user starts it (``WindowExports.report``: workers, only
  the SVG painted on the GUI thread).

Twice each: with the window's analysis ready, and right after an edit (the analysis pending).
It prints the longest gap between two timer ticks, the median gap (10 ms when the window
answers at once), the wall time, the share of the baseline's longest gap that remains, and
whether both wrote the same bytes. Wall-clock times of a shared machine: compare the columns of
one run, not runs with each other.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if __package__ in (None, ""):  # run as a script: make `cld_editor` and the benches importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_arrange_responsiveness import gaps_while
from diagrams import random_diagram
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from cld_editor.core import ops
from cld_editor.core.model import Link


def _for(seconds: float):
    """A ``running`` for :func:`gaps_while` that is true for ``seconds``."""
    end = time.perf_counter() + seconds
    return lambda: time.perf_counter() < end


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="cld-editor-bench-report-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    from cld_editor.ui.window import export_actions
    from cld_editor.ui.window.main_window import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    diagram = random_diagram(n, 4.0, 1)
    window.files.load_diagram(diagram, None)
    exports = window.exports
    target: list[Path] = []
    export_actions.QFileDialog.getSaveFileName = staticmethod(  # type: ignore[method-assign]
        lambda *a, **k: (str(target[-1]), "")
    )

    def quiet() -> None:
        """Until the window is idle: its analysis done, the canvas's signs placed (an open
        leaves them to 30 ms slices, each repainting 6,000 links) and no repaint pending."""
        deadline = time.monotonic() + 120
        while (window.runner.pending or window.runner.running) and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        window.scene.settle_signs()
        while time.monotonic() < deadline:
            gaps, _ = gaps_while(app, lambda: None, _for(0.5))
            if max(gaps) < 0.05:
                break

    def baseline() -> None:  # the code Export Report ran before it had workers
        export_actions.export_report_with_dialog(
            window, exports._diagram(), exports._analysis_or_run(), suggested_path=None
        )

    print(
        f"{len(diagram.variables):,} variables, {len(diagram.links):,} links: "
        "Export Report (HTML), longest / median gap of a 10 ms timer, wall time (s)"
    )
    print(f"{'analysis':9} {'on the GUI thread':>26} {'in the background':>26} {'remains':>8} same")
    for case in ("ready", "pending"):
        rows = []
        texts = []
        for how, start in (("base", baseline), ("back", exports.report)):
            quiet()
            if case == "pending":
                # The same edit each time (undone after): both runs report the same diagram.
                window.scene.push(ops.add_link(Link(id="bench", source="v0", target="v1")))
                window.scene.settle_signs()
            target.append(folder / f"{case}-{how}.html")
            gaps, wall = gaps_while(app, start, lambda: exports.reports.running)
            rows.append((max(gaps), statistics.median(gaps), wall))
            texts.append(target[-1].read_bytes() if target[-1].exists() else b"")
            if case == "pending":
                window.undo_stack.undo()
        base, back = (longest for longest, _, _ in rows)
        cells = [f"{m:6.2f} / {d:5.3f} / {w:5.1f}" for m, d, w in rows]
        same = "yes" if texts[0] == texts[1] and texts[0] else "no"
        print(f"{case:9} {cells[0]:>26} {cells[1]:>26} {back / base:7.0%}  {same}")
    window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
