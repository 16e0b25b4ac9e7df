"""How long a cancelled layout keeps computing: the longest stretch of CPU time between two
calls of a layout's ``progress`` callback (the editor's Cancel raises in it, so a cancel that
arrives just after one call is noticed at the next).

Run ``python benchmarks/bench_layout_cancel.py [STYLE ...]`` (a minute or two). For each style,
on 1,000 loop-rich variables (``bench_layout.loopy_diagram``) and on 1,000 variables with 2
links each between random pairs (``diagrams.random_diagram``), it prints the calls made, the
longest gap between two of them and where it ended, beside the longest step (what Cancel used
to wait for, when only the steps themselves called back). Goal: a gap of at most 0.3 s.
CPU time of this process.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `cld_editor` and the benches importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_layout import loopy_diagram
from benchmarks.diagrams import random_diagram
from cld_editor.layout import STYLES, plan
from cld_editor.layout.boxes import diagram_sizes

GOAL = 0.3


def gaps(diagram, style: str) -> tuple[int, float, str, float]:
    """Calls of the callback, the longest CPU gap between two and the step it ended in, and
    the longest step."""
    stamps: list[tuple[float, str]] = []

    def progress(step: str) -> None:
        stamps.append((time.process_time(), step))

    start = time.process_time()
    plan(diagram, style, sizes=diagram_sizes(diagram), progress=progress)
    stamps.append((time.process_time(), "done"))
    longest, where = 0.0, ""
    previous = start
    step_start, longest_step, last_step = start, 0.0, ""
    for t, step in stamps:
        if t - previous > longest:
            longest, where = t - previous, step
        if step != last_step:
            longest_step = max(longest_step, t - step_start)
            step_start, last_step = t, step
        previous = t
    return len(stamps) - 1, longest, where, longest_step


def main() -> int:
    styles = sys.argv[1:] or list(STYLES)
    rows = [("loop-rich", loopy_diagram(1000, seed=1000)), ("r2.0/1", random_diagram(1000, 2.0, 1))]
    print(f"{'diagram':10} {'style':8} {'calls':>7} {'longest gap':>12}  {'longest step':>12}")
    worst = 0.0
    for label, diagram in rows:
        for style in styles:
            calls, gap, where, step = gaps(diagram, style)
            worst = max(worst, gap)
            print(f"{label:10} {style:8} {calls:>7} {gap:>11.3f}s  {step:>11.2f}s  (in {where})")
    print(f"longest gap {worst:.3f}s: {'within' if worst <= GOAL else 'over'} the {GOAL}s goal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
