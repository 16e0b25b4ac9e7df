"""Benchmark of incremental loop analysis against a recount, on diagrams with 10,000+ loops.

Run ``python benchmarks/bench_incremental.py`` (ten minutes or more: the CPython recounts of
150,000 loops take a second each). For each diagram and each kind
of edit (add a link, remove a link that lies on loops, flip a link's sign, tag a variable on
loops CX, EX or none), it times ``updated_analysis`` from the previous complete result beside
``find_loops`` of the edited diagram, both ways the editor runs them: in CPython (tables of
lists; what small and medium searches use) and with the compiled kernel (numpy tables; what
long searches use once it is warm). Every incremental result is checked against its recount.
The ratio is recount time / incremental time (goal: at least 10), for a few edits of each kind
chosen at random (the same every run): the median, worst and best, and how many reach 10. Both
sides include :func:`prepared` (a complete result of thousands of loops moved into arrays), as
the editor's worker does; the previous result is also :func:`indexed` by link, which the worker
does after handing a result over, while the user makes the next edit (not timed, as the
recount's result is not indexed either). "touched" is the share of the edited diagram's
loops the edit made, removed or reclassified: what any update must write, while a recount
writes them all. Times
are CPU time (``time.process_time``), best of a few runs (of 20 for runs under 20 ms), so that
other programs busy on the machine skew them less.
"""

from __future__ import annotations

import math
import platform
import random
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_analysis import best_time
from benchmarks.bench_census import complete_digraph
from benchmarks.diagrams import random_diagram
from cld_editor.analysis.budget import Budget
from cld_editor.analysis.engine import warm_up, warmed
from cld_editor.analysis.incremental import FRESH_SHARE, indexed, prepared, updated_analysis
from cld_editor.analysis.loops import LoopAnalysis, find_loops
from cld_editor.core.model import Diagram, Link

NO_LIMITS = Budget.no_limits()
REPEATS = 3
QUICK_SECONDS = 0.02
QUICK_REPEATS = 20


def edits(diagram: Diagram, analysis: LoopAnalysis, seed: int) -> list[tuple[str, Diagram]]:
    """(name, edited diagram): a link added between two unlinked variables, a link on loops
    removed, a link on loops re-signed, and a variable on loops tagged with another domain (CX,
    EX or none); chosen at random (each link or variable on a loop as likely as any other) but
    the same every run."""
    rng = random.Random(seed)
    ids = [v.id for v in diagram.variables]
    taken = {(link.source, link.target) for link in diagram.links}
    source, target = rng.choice(
        sorted((s, t) for s in ids for t in ids if s != t and (s, t) not in taken)
    )
    added = Link(id="bench-new", source=source, target=target, polarity="-")
    on_loops = sorted(set(analysis.table.graph.link_ids[e] for e in set(analysis.table.edges)))
    gone = rng.choice(on_loops)
    flipped = rng.choice(on_loops)
    links = list(diagram.links)
    signed = [
        link.model_copy(update={"polarity": "-" if link.polarity == "+" else "+"})
        if link.id == flipped
        else link
        for link in links
    ]
    graph = analysis.table.graph
    on_a_loop = sorted({graph.ids[graph.src[e]] for e in set(analysis.table.edges)})
    tagged = rng.choice(on_a_loop)
    retagged = [
        v.model_copy(
            update={"domain": rng.choice([d for d in (None, "CX", "EX") if d != v.domain])}
        )
        if v.id == tagged
        else v
        for v in diagram.variables
    ]
    return [
        ("add", diagram.model_copy(update={"links": [*links, added]})),
        ("remove", diagram.model_copy(update={"links": [k for k in links if k.id != gone]})),
        ("sign", diagram.model_copy(update={"links": signed})),
        ("domain", diagram.model_copy(update={"variables": retagged})),
    ]


def touched(before: LoopAnalysis, after: LoopAnalysis) -> int:
    """Loops the edit made, removed or reclassified (kind, delay or domains): what any update
    has to write."""
    old = {loop.key: (loop.polarity, loop.delayed, loop.domains) for loop in before.loops}
    new = {loop.key: (loop.polarity, loop.delayed, loop.domains) for loop in after.loops}
    return len(old.keys() ^ new.keys()) + sum(
        1 for key in old.keys() & new.keys() if old[key] != new[key]
    )


def _best(run: Callable[[], Any]) -> tuple[float, Any]:
    """:func:`best_time` of REPEATS runs, or of QUICK_REPEATS for a run under QUICK_SECONDS
    (a millisecond is easily doubled by another program on the machine)."""
    seconds, result = best_time(run, REPEATS)
    if seconds < QUICK_SECONDS:
        again, result = best_time(run, QUICK_REPEATS)
        seconds = min(seconds, again)
    return seconds, result


def _without_one_link(diagram: Diagram) -> Diagram:
    return diagram.model_copy(update={"links": diagram.links[1:]})


EDITS_PER_KIND = 5
#: Bands of the share of the edited diagram's loops an edit touched, for the summary: an
#: update writes that share, a recount all of it, so the ratio cannot pass about 1 / share.
SHARE_BANDS = ((0.0, 0.05), (0.05, 0.2), (0.2, 1.01))


def main() -> int:
    print(
        f"Python {platform.python_version()}, {platform.machine()}; CPU time, best of {REPEATS} "
        f"({QUICK_REPEATS} under {QUICK_SECONDS * 1000:g} ms); "
        f"{EDITS_PER_KIND} random edits of each kind"
    )
    warm_up()
    warmed.wait()
    cases = [
        ("random 80 variables, out-degree 2", random_diagram(80, 2.0, 1)),
        ("K8 without one link", _without_one_link(complete_digraph(8))),
        ("random 100 variables, out-degree 2", random_diagram(100, 2.0, 3)),
        # Sparser, as system-dynamics models are: many added links close no loop at all.
        ("random 200 variables, out-degree 1.7", random_diagram(200, 1.7, 5)),
    ]
    header = (
        f"{'diagram':<36} {'kernel':<9} {'loops':>8} {'edit':<7} {'touched (median)':>17} "
        f"{'incremental':>12} {'recount':>10} {'ratio: median':>14} {'worst':>6} {'best':>6} "
        f"{'>= 10':>6}"
    )
    print(header)
    print("-" * len(header))
    ratios: dict[str, list[float]] = {"cpython": [], "compiled": []}
    #: (kernel, edit) -> (share touched, ratio) of every edit, for the summary by share.
    by_share: dict[tuple[str, str], list[tuple[float, float]]] = {}
    gave_up = {"cpython": 0, "compiled": 0}
    for name, diagram in cases:
        for kernel, compiled in (("cpython", False), ("compiled", True)):
            previous = indexed(prepared(find_loops(diagram, NO_LIMITS, compiled=compiled)))
            rows: dict[str, list[tuple[float, float, float, float]]] = {}
            for seed in range(EDITS_PER_KIND):
                for edit, edited in edits(diagram, previous, seed=seed):
                    inc_time, updated = _best(
                        lambda p=previous, d=diagram, e=edited, c=compiled: updated_analysis(
                            p, d, e, compiled=c
                        )
                    )
                    re_time, recount = _best(
                        lambda e=edited, c=compiled: prepared(find_loops(e, NO_LIMITS, compiled=c))
                    )
                    if updated is None:
                        # Given up (FRESH_SHARE): the editor then recounts, after the search.
                        gave_up[kernel] += 1
                        inc_time += re_time
                        updated = recount
                    if list(updated.loops) != list(recount.loops):
                        raise SystemExit(f"{name}, {edit}: the incremental result differs")
                    if updated.loops_through != recount.loops_through:
                        raise SystemExit(f"{name}, {edit}: loops through each variable differ")
                    share = touched(previous, updated) / max(len(updated.loops), 1)
                    ratio = re_time / max(inc_time, 1e-6)
                    rows.setdefault(edit, []).append((ratio, share, inc_time, re_time))
                    by_share.setdefault((kernel, edit), []).append((share, ratio))
            for edit, results in rows.items():
                values = sorted(r for r, _s, _i, _r in results)
                ratios[kernel] += values
                middle = sorted(results)[len(results) // 2]
                print(
                    f"{name:<36} {kernel:<9} {len(previous.loops):>8,} {edit:<7} "
                    f"{statistics.median(s for _r, s, _i, _t in results):>17.0%} "
                    f"{middle[2] * 1000:>9.2f} ms {middle[3] * 1000:>7.1f} ms "
                    f"{statistics.median(values):>14.1f} {values[0]:>6.1f} {values[-1]:>6.1f} "
                    f"{sum(v >= 10 for v in values):>4}/{len(values)}"
                )
    print("(incremental and recount: the edit with the median ratio)")
    print(
        f"Edits that brought more than {FRESH_SHARE:g} times as many new loops as there were old "
        "ones were given up and recounted "
        f"(their time: the search, then the recount): {gave_up['cpython']} in CPython, "
        f"{gave_up['compiled']} compiled"
    )
    print("By the share of loops an edit touched (median ratio, edits at 10 or more):")
    for (kernel, edit), pairs in sorted(by_share.items()):
        cells = []
        for low, high in SHARE_BANDS:
            band = [r for share, r in pairs if low <= share < high]
            if band:
                at_ten = sum(r >= 10 for r in band)
                cells.append(
                    f"{low:.0%}-{high:.0%}: {statistics.median(band):.1f} ({at_ten}/{len(band)})"
                )
        print(f"  {kernel:<9} {edit:<7} " + "; ".join(cells))
    for kernel, values in ratios.items():
        geometric = math.exp(sum(math.log(r) for r in values) / len(values))
        print(
            f"{kernel}: recount / incremental over {len(values)} edits: geometric mean "
            f"{geometric:.1f}, median {statistics.median(values):.1f}, worst {min(values):.1f}, "
            f"best {max(values):.1f}; {sum(v >= 10 for v in values)} at 10 or more (goal >= 10)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
