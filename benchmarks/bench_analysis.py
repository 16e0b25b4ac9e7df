"""Benchmark of loop analysis and of the native file format, against baselines run alongside.

Run ``python benchmarks/bench_analysis.py`` (about a minute). Two tables:

1. ``find_loops`` on random signed diagrams (50-200 variables, out-degree 1.5-3) beside the
   baseline it must not be slower than: building a networkx graph, enumerating
   ``networkx.simple_cycles`` and classifying each cycle naively (each link's polarity looked up
   in a dict, "-" counted). Both are capped at the same number of loops; a capped find_loops
   keeps the shortest loops, and its baseline then does the same with networkx (length bounds
   1, 2, ... until the cap binds). The ratio compares time per loop (find_loops / baseline; at
   most 1.0 is the target). Where both enumerate every loop the counts are checked to agree.
2. Loading and saving a 10,000-variable, 30,000-link ``.cld.json`` file beside ``json.loads`` /
   ``json.dumps`` of the same data (target: load within 3x of ``json.loads``).
3. The command line as whole processes: ``analyze --json`` on the complete 9-variable digraph
   against a naive script (networkx ``simple_cycles``, classification in Python, ``json.dumps``;
   target: at most 0.6x), and ``--version`` and a 20-variable ``analyze`` beside an empty
   interpreter (targets: under 80 ms and 150 ms).

Times are CPU time of this process (``time.process_time``), each the best of a few runs, so
that other programs busy on the same machine skew them less than they would wall-clock time.
"""

from __future__ import annotations

import gc
import itertools
import json
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.diagrams import random_diagram
from cld_editor.analysis.engine import warm_up, warmed
from cld_editor.analysis.loops import Budget, find_loops
from cld_editor.core.model import Diagram
from cld_editor.formats.native import dumps_diagram, load_diagram, save_diagram

#: (variables, out-degree, seed, loop cap, max length). Seeds chosen so that the uncapped
#: cases finish in about a second and the capped ones have far more loops than the cap.
CASES: list[tuple[int, float, int, int | None, int | None]] = [
    (150, 1.5, 0, None, None),
    (50, 2.5, 0, None, None),
    (50, 2.5, 2, None, None),
    (100, 2.0, 0, None, None),
    (100, 2.0, 3, None, None),
    (50, 3.0, 0, 50_000, None),
    (100, 2.0, 1, 50_000, None),
    (200, 2.0, 0, 50_000, None),
    (200, 3.0, 0, 50_000, None),
    (100, 2.0, 1, 50_000, 10),
    (200, 3.0, 0, 50_000, 8),
]
REPEATS = 2
BIG_VARIABLES, BIG_OUT_DEGREE = 10_000, 3.0


def best_time(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Shortest wall time of ``repeats`` runs, and the last run's result. The previous result
    is dropped before each run, so freeing it is not timed."""
    best, result = float("inf"), None
    for _ in range(repeats):
        result = None
        gc.collect()
        start = time.process_time()
        result = run()
        best = min(best, time.process_time() - start)
    return best, result


def baseline_loops(
    diagram: Diagram, cap: int | None, max_length: int | None, shortest_first: bool = False
) -> list[Any]:
    """Raw networkx enumeration plus a naive classification of each cycle. With
    ``shortest_first`` (what find_loops does when a cap stops it), the same job done with
    networkx: length bounds 1, 2, ... until the cap binds, then the loops of every shorter
    length plus what fits of that length."""
    graph = nx.DiGraph()
    graph.add_nodes_from(v.id for v in diagram.variables)
    polarity = {}
    for link in diagram.links:
        graph.add_edge(link.source, link.target)
        polarity[(link.source, link.target)] = link.polarity
    if shortest_first and cap:
        cycles: list[list[str]] = []
        for bound in range(1, len(diagram.variables) + 1):
            found = list(itertools.islice(nx.simple_cycles(graph, length_bound=bound), cap + 1))
            if len(found) <= cap:
                cycles = found
                continue
            cycles += [c for c in found if len(c) == bound][: cap - len(cycles)]
            break
    else:
        cycles = itertools.islice(nx.simple_cycles(graph, length_bound=max_length), cap)
    classified = []
    for cycle in cycles:
        negatives, unknown = 0, False
        for step in zip(cycle, cycle[1:] + cycle[:1], strict=True):
            negatives += polarity[step] == "-"
            unknown |= polarity[step] == "?"
        kind = "undetermined" if unknown else "balancing" if negatives % 2 else "reinforcing"
        classified.append((cycle, kind))
    return classified


def bench_loops() -> list[float]:
    print("Loop analysis: find_loops vs networkx.simple_cycles + naive classification")
    header = (
        f"{'variables':>9} {'out':>4} {'seed':>4} {'cap':>7} {'max len':>7} "
        f"{'loops':>8} {'avg len':>7} {'base len':>8} {'find_loops/s':>12} {'baseline/s':>11} "
        f"{'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    ratios = []
    for n, out_degree, seed, cap, max_length in CASES:
        diagram = random_diagram(n, out_degree, seed)
        budget = Budget(max_loops=cap, max_length=max_length, time_limit=None, max_members=None)
        found_time, analysis = best_time(lambda d=diagram, b=budget: find_loops(d, b), REPEATS)
        found = len(analysis.loops)
        average = sum(loop.length for loop in analysis.loops) / max(found, 1)
        complete = analysis.complete
        shortest = analysis.complete_up_to is not None
        del analysis
        base_time, base = best_time(
            lambda d=diagram, c=cap, m=max_length, s=shortest: baseline_loops(d, c, m, s), REPEATS
        )
        if complete and cap is None and len(base) != found:
            raise SystemExit(f"loop counts differ: find_loops {found}, networkx {len(base)}")
        base_rate = len(base) / base_time
        base_average = sum(len(cycle) for cycle, _ in base) / max(len(base), 1)
        del base
        rate = found / found_time
        ratio = base_rate / rate
        ratios.append(ratio)
        print(
            f"{n:>9} {out_degree:>4} {seed:>4} {cap or '-':>7} {max_length or '-':>7} "
            f"{found:>8} {average:>7.1f} {base_average:>8.1f} {rate:>12,.0f} {base_rate:>11,.0f} "
            f"{ratio:>6.2f}"
        )
    print(
        "ratio = time per loop of find_loops / time per loop of the baseline "
        f"(target <= 1.0); worst {max(ratios):.2f}, best {min(ratios):.2f}\n"
        "Uncapped rows enumerate the same loops. A capped find_loops keeps the shortest loops "
        "(bounded searches\nof growing length); its baseline does that with networkx "
        "(simple_cycles with length_bound 1, 2, ...)."
    )
    return ratios


def bench_file() -> None:
    print()
    print(
        f"Native format: {BIG_VARIABLES:,} variables, "
        f"{round(BIG_VARIABLES * BIG_OUT_DEGREE):,} links"
    )
    diagram = random_diagram(BIG_VARIABLES, BIG_OUT_DEGREE, seed=42)
    text = dumps_diagram(diagram)
    data = text.encode("utf-8")
    raw = json.loads(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.cld.json"
        path.write_bytes(data)
        load_time, loaded = best_time(lambda: load_diagram(path), 3)
        if loaded != diagram:
            raise SystemExit("the loaded diagram differs from the saved one")
        del loaded
        json_load_time, _ = best_time(lambda: json.loads(data), 3)
        save_time, _ = best_time(lambda: save_diagram(diagram, path), 3)
        if path.read_bytes() != data:
            raise SystemExit("saving gave different bytes")
    dumps_time, _ = best_time(lambda: dumps_diagram(diagram), 3)
    json_dump_time, _ = best_time(
        lambda: json.dumps(raw, indent=2, ensure_ascii=False, allow_nan=False), 3
    )
    rows = [
        ("load_diagram (read + parse + validate)", load_time, "json.loads", json_load_time),
        ("save_diagram (serialise + atomic write)", save_time, "json.dumps", json_dump_time),
        ("dumps_diagram (serialise only)", dumps_time, "json.dumps", json_dump_time),
    ]
    print(f"file size {len(data) / 1e6:.1f} MB")
    for name, seconds, base_name, base_seconds in rows:
        print(
            f"{name:<40} {seconds * 1000:7.0f} ms   {base_name:<10} {base_seconds * 1000:6.0f} ms"
            f"   ratio {seconds / base_seconds:5.2f}"
        )
    print("target: load within 3x of json.loads")
    start = time.perf_counter()
    analysis = find_loops(diagram)
    seconds = time.perf_counter() - start  # wall time: the budget's time limit is wall time
    print(
        f"find_loops with the default budget on this diagram: {seconds:.2f} s, "
        f"{analysis.summary_text()}"
    )


NAIVE_SCRIPT = """
import json, sys
import networkx as nx
data = json.load(open(sys.argv[1], encoding="utf-8"))
graph = nx.DiGraph()
sign = {}
for link in data["links"]:
    graph.add_edge(link["source"], link["target"])
    sign[link["source"], link["target"]] = link.get("polarity", "+")
loops = []
for cycle in nx.simple_cycles(graph):
    steps = list(zip(cycle, cycle[1:] + cycle[:1]))
    negatives = sum(sign[s] == "-" for s in steps)
    unknown = any(sign[s] == "?" for s in steps)
    kind = "undetermined" if unknown else "balancing" if negatives % 2 else "reinforcing"
    loops.append({"polarity": kind, "length": len(cycle), "variables": cycle})
print(json.dumps({"loops": loops}))
"""


def wall(command: list[str], repeats: int = 3) -> float:
    """Best wall time of a whole process (its output discarded)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - started)
    return best


def bench_command_line() -> None:
    """``analyze --json`` on K9 as whole processes against the naive script; ``--version`` and
    a 20-variable analysis against an empty interpreter."""
    print()
    names = [f"v{i}" for i in range(9)]
    k9 = {
        "format": "cld",
        "version": 1,
        "title": "K9",
        "variables": [{"id": v, "x": 100 * i, "y": 0} for i, v in enumerate(names)],
        "links": [
            {"source": a, "target": b, "polarity": "-" if (i + j) % 3 == 0 else "+"}
            for i, a in enumerate(names)
            for j, b in enumerate(names)
            if a != b
        ],
    }
    small = random_diagram(20, 2.0, 3)
    with tempfile.TemporaryDirectory() as folder:
        k9_path = Path(folder) / "k9.cld.json"
        k9_path.write_text(json.dumps(k9), encoding="utf-8")
        small_path = Path(folder) / "small.cld.json"
        save_diagram(small, small_path)
        script = Path(folder) / "naive.py"
        script.write_text(NAIVE_SCRIPT, encoding="utf-8")
        cli = [sys.executable, "-m", "cld_editor"]
        ours = wall([*cli, "analyze", str(k9_path), "--json", "--max-loops", "0"])
        naive = wall([sys.executable, str(script), str(k9_path)])
        empty = wall([sys.executable, "-c", "pass"], 5)
        version = wall([*cli, "--version"], 5)
        analyze_small = wall([*cli, "analyze", str(small_path)], 5)
    print("Command line, whole processes (best wall time of a few runs):")
    print(
        f"  analyze --json --max-loops 0, K9 (125,664 loops): {ours:.2f} s; naive script "
        f"(networkx, classify, json.dumps): {naive:.2f} s; ratio {ours / naive:.2f} "
        "(target <= 0.6)"
    )
    print(
        f"  --version: {version * 1000:.0f} ms (target < 80); analyze of 20 variables / 40 links: "
        f"{analyze_small * 1000:.0f} ms (target < 150); empty interpreter {empty * 1000:.0f} ms"
    )


def main() -> int:
    print(
        f"Python {platform.python_version()}, networkx {nx.__version__}, "
        f"{platform.machine()}; CPU time, best of {REPEATS} runs per analysis case"
    )
    print()
    # The editor and a long command load the compiled kernel once; time the searches after it.
    warm_up()
    warmed.wait()
    bench_loops()
    bench_file()
    bench_command_line()
    return 0


if __name__ == "__main__":
    sys.exit(main())
