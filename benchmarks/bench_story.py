"""Story benchmark: what-if propagation and the story PDF export, each beside a baseline
measured in the same run.

Run: ``python -m benchmarks.bench_story [--repeat R]``.

- What if: 50 steps from one variable of a 1,000-variable / 3,000-link random diagram (most
  variables change at most steps, so about 150,000 pulses). Baseline: the bare frontier walk
  of the same 50 steps (sets of variables reached, no directions, no records), the least any
  step-by-step propagation must do.
- Story PDF: 20 steps revealing a random diagram cumulatively (every page draws what is
  visible so far, so about ten times the diagram in all), for a 100-variable and a
  1,000-variable diagram. Baseline: a plain one-page PDF export of the same whole diagram
  (``export.picture_pdf``). Goal (issue 14): both under a second on the 2-core test machines.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cld_editor.analysis.whatif import propagate
from cld_editor.core.model import Diagram
from cld_editor.core.story import Story, StoryStep

try:
    from benchmarks.diagrams import random_diagram
except ImportError:  # run as a script from inside benchmarks/
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from benchmarks.diagrams import random_diagram

TARGET_SECONDS = 1.0
STEPS = 50
STORY_STEPS = 20


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def frontier_walk(diagram: Diagram, start: str, steps: int) -> int:
    """The baseline: who is reached at each step (delays ignored), nothing else."""
    successors: dict[str, list[str]] = {}
    for link in diagram.links:
        successors.setdefault(link.source, []).append(link.target)
    frontier = {start}
    reached = 0
    for _ in range(steps):
        frontier = {t for s in frontier for t in successors.get(s, ())}
        reached += len(frontier)
    return reached


def cumulative_story(diagram: Diagram, steps: int) -> Story:
    """``steps`` steps revealing the variables in document order, with their links."""
    ids = [v.id for v in diagram.variables]
    per_step = max(1, -(-len(ids) // steps))
    shown: set[str] = set()
    out = []
    for k in range(steps):
        new = ids[k * per_step : (k + 1) * per_step]
        shown.update(new)
        links = [
            link.id
            for link in diagram.links
            if link.source in shown
            and link.target in shown
            and (link.source in new or link.target in new)
        ]
        out.append(
            StoryStep(caption=f"Step {k + 1}: {len(new)} more variables", reveal=new + links)
        )
    return Story(steps=out)


def bench_whatif(repeat: int) -> None:
    diagram = random_diagram(1_000, 3.0, seed=14)
    start = diagram.variables[0].id
    run = propagate(diagram, start, "up", STEPS)
    pulses = len(run.pulses)
    changes = sum(len(s.changes) for s in run.steps)
    ours = median_time(lambda: propagate(diagram, start, "up", STEPS), repeat)
    base = median_time(lambda: frontier_walk(diagram, start, STEPS), repeat)
    print(
        f"what if, {STEPS} steps, 1,000 variables / 3,000 links ({changes:,} changes, "
        f"{pulses:,} pulses): {ours:.3f} s; bare frontier walk {base:.3f} s; "
        f"ratio {ours / base:.1f}x; {'under' if ours < TARGET_SECONDS else 'OVER'} "
        f"{TARGET_SECONDS:.0f} s"
    )


def bench_story_pdf(n_variables: int, repeat: int) -> None:
    from cld_editor.ui.drawing import export
    from cld_editor.ui.drawing.picture import DiagramPicture
    from cld_editor.ui.story.story_export import story_pdf

    diagram = random_diagram(n_variables, 3.0, seed=14)
    story = cumulative_story(diagram, STORY_STEPS)
    story_pdf(diagram, story)  # warm-up: fonts, the QApplication
    ours = median_time(lambda: story_pdf(diagram, story), repeat)
    base = median_time(lambda: export.picture_pdf(DiagramPicture(diagram)), repeat)
    size = len(story_pdf(diagram, story))
    print(
        f"story PDF, {STORY_STEPS} pages, {n_variables:,} variables / "
        f"{len(diagram.links):,} links ({size / 1e6:.1f} MB): {ours:.3f} s; one-page plain "
        f"PDF export {base:.3f} s; ratio {ours / base:.1f}x ({ours / base / STORY_STEPS:.2f}x "
        f"per page); {'under' if ours < TARGET_SECONDS else 'OVER'} {TARGET_SECONDS:.0f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args(argv)
    bench_whatif(args.repeat)
    for n in (100, 1_000):
        bench_story_pdf(n, max(1, args.repeat // (1 if n <= 100 else 2)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
