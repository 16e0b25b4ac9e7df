"""Benchmark of the loop census against networkx, side by side in one run.

Run ``python benchmarks/bench_census.py`` (a few minutes: the networkx baselines are slow).
For the complete digraph K10 (1,112,073 loops) and a World3-sized random diagram (311
variables, 415 links, 1,941,334 loops; World3-03 has 1,863,803), it times:

- ``count_loops`` (the compiled kernel, after its compile is cached), and
- the baseline: ``networkx.simple_cycles`` counting every loop and classifying it in Python
  (its links' signs multiplied, as a script would), the way the issue measured it,

each in a fresh process, and prints wall time and peak memory (the process's maximum resident
set, minus that of a process that only imported the same modules), then the speed-up (goal: at
least 20x) and how memory grows from K8 to K10 (goal: flat). The listing with the default budget
is timed too, alone (capped listings beside networkx finding as many loops shortest first are
``bench_analysis.py``'s first table).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.diagrams import random_diagram
from cld_editor.core.model import Diagram, Link, Variable

#: random_diagram(311, 415 / 311, WORLD3_SEED) has 5.3 M loops; without its link WORLD3_DROP
#: (replaced by a link that closes no loop) it has 1,941,334, like World3-03's 1,863,803.
WORLD3_SEED, WORLD3_DROP = 1298, "l10"


def complete_digraph(n: int) -> Diagram:
    ids = [f"v{i}" for i in range(n)]
    links = [
        Link(id=f"{s}-{t}", source=s, target=t, polarity="-" if (i + j) % 3 == 0 else "+")
        for i, s in enumerate(ids)
        for j, t in enumerate(ids)
        if s != t
    ]
    return Diagram(variables=[Variable(id=v, x=0.0, y=0.0) for v in ids], links=links)


def world3_sized() -> Diagram:
    """311 variables, 415 links, 1,941,334 loops (see WORLD3_SEED)."""
    diagram = random_diagram(311, 415 / 311, WORLD3_SEED)
    links = [link for link in diagram.links if link.id != WORLD3_DROP]
    out: dict[str, list[str]] = {v.id: [] for v in diagram.variables}
    for link in links:
        out[link.source].append(link.target)
    pairs = {(link.source, link.target) for link in links}
    ids = [v.id for v in diagram.variables]
    for source in ids:  # the first new link whose target cannot reach its source
        reach, todo = {ids[0]}, deque()
        for target in ids:
            if target == source or (source, target) in pairs:
                continue
            reach, todo = {target}, deque([target])
            while todo:
                for w in out[todo.popleft()]:
                    if w not in reach:
                        reach.add(w)
                        todo.append(w)
            if source not in reach:
                extra = Link(id=WORLD3_DROP, source=source, target=target, polarity="+")
                return diagram.model_copy(update={"links": [*links, extra]})
    raise AssertionError("no link without a loop")


DIAGRAMS = {"K8": lambda: complete_digraph(8), "K9": lambda: complete_digraph(9),
            "K10": lambda: complete_digraph(10), "World3-sized": world3_sized}  # fmt: skip


def networkx_count(diagram: Diagram) -> tuple[int, int]:
    """(loops, reinforcing) by networkx.simple_cycles and a classification in Python."""
    import networkx as nx

    graph = nx.DiGraph()
    sign = {}
    for link in diagram.links:
        graph.add_edge(link.source, link.target)
        sign[link.source, link.target] = -1 if link.polarity == "-" else 1
    total = reinforcing = 0
    for cycle in nx.simple_cycles(graph):
        product = 1
        for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True):
            product *= sign[a, b]
        total += 1
        reinforcing += product > 0
    return total, reinforcing


def one(kind: str, name: str) -> dict[str, float]:
    """Run one measurement in this (fresh) process."""
    diagram = DIAGRAMS[name]()
    if kind == "import":
        from cld_editor.analysis.census import count_loops

        _warm()
        count_loops(complete_digraph(3))
        loops = 0.0
        started = time.perf_counter()
    elif kind == "import-networkx":
        import networkx  # noqa: F401

        loops = 0.0
        started = time.perf_counter()
    elif kind == "census":
        from cld_editor.analysis.census import count_loops

        _warm()  # load the cached compile first: the goal is "after the compile"
        started = time.perf_counter()
        census = count_loops(diagram, time_limit=0, compiled=True)
        loops = census.total
    elif kind == "listing":
        from cld_editor.analysis.loops import Budget, find_loops

        _warm()
        started = time.perf_counter()
        loops = len(find_loops(diagram, Budget(time_limit=0)).loops)
    else:
        started = time.perf_counter()
        loops = networkx_count(diagram)[0]
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "loops": loops, "peak_mb": peak}


def _warm() -> None:
    from cld_editor.analysis.engine import warm_up, warmed

    warm_up()
    warmed.wait()


def measure(kind: str, name: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", kind, name], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(one(argv[1], argv[2])))
        return 0
    base = measure("import", "K8")["peak_mb"]
    nx_base = measure("import-networkx", "K8")["peak_mb"]
    print(
        f"bench_census: memory beside a process that only imported the modules and loaded the "
        f"kernel ({base:.0f} MB; networkx alone {nx_base:.0f} MB)"
    )
    print(f"{'diagram':<14}{'loops':>11}{'census s':>10}{'MB':>7}{'networkx s':>12}{'MB':>7}"
          f"{'speed-up':>10}")  # fmt: skip
    peaks = {}
    for name in ("K8", "K9", "K10", "World3-sized"):
        census = measure("census", name)
        peaks[name] = census["peak_mb"] - base
        if name in ("K8", "K9"):
            print(f"{name:<14}{census['loops']:>11,}{census['seconds']:>10.3f}{peaks[name]:>7.0f}")
            continue
        baseline = measure("networkx", name)
        assert baseline["loops"] == census["loops"], (name, baseline, census)
        ratio = baseline["seconds"] / census["seconds"]
        print(
            f"{name:<14}{census['loops']:>11,}{census['seconds']:>10.3f}{peaks[name]:>7.0f}"
            f"{baseline['seconds']:>12.2f}{baseline['peak_mb'] - nx_base:>7.0f}{ratio:>9.0f}x"
        )
    print(f"census memory K8 -> K10 (69x the loops): {peaks['K8']:.0f} -> {peaks['K10']:.0f} MB")
    print("goals: at least 20x faster than networkx, World3-sized under 1 s, memory flat")
    listing = measure("listing", "World3-sized")
    print(
        f"World3-sized listing, default budget (100,000 loops, shortest first): "
        f"{listing['seconds']:.3f} s, {listing['peak_mb'] - base:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
