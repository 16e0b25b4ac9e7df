"""Benchmark of the other tools' formats, against the native ``.cld.json`` run alongside.

Run ``python benchmarks/bench_formats.py`` (under a minute). Two tables:

1. Export and import of a 1,000-variable, 2,000-link diagram in every format, beside
   ``dumps_diagram`` / ``loads_diagram`` of the same diagram (the ratio is format / native).
2. Import of a World3-sized Vensim stock-and-flow model (generated: 300 variables of which 40
   stocks and 60 flows, 110 lookups, equations, ghosts and 6 views), target under 1 s, with and
   without pysimlin's sign inference, beside loading the same diagram as ``.cld.json``.

Times are CPU time of this process (``time.process_time``), best of a few runs, except the
pysimlin import, whose engine runs outside Python's accounting on some platforms: that one is
wall-clock.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.diagrams import random_diagram
from cld_editor.formats import vensim_read
from cld_editor.formats.conversion import ConversionReport
from cld_editor.formats.native import dumps_diagram, loads_diagram
from cld_editor.formats.registry import BY_NAME, WRITABLE
from cld_editor.formats.sd_polarity import available

REPEATS = 3


def best(run: Callable[[], object], repeats: int = REPEATS, clock=time.process_time) -> float:
    times = []
    for _ in range(repeats):
        start = clock()
        run()
        times.append(clock() - start)
    return min(times)


def world3_like(seed: int = 3) -> bytes:
    """A stock-and-flow .mdl the size of World3: stocks, flows, auxiliaries, lookups."""
    rng = random.Random(seed)
    stocks = [f"Stock {i}" for i in range(40)]
    flows = [f"flow {i}" for i in range(60)]
    auxes = [f"aux variable {i}" for i in range(90)]
    tables = [f"table {i}" for i in range(110)]
    everything = stocks + flows + auxes
    lines = ["{UTF-8}"]
    for i, stock in enumerate(stocks):
        inflow, outflow = flows[i % 60], flows[(i + 20) % 60]
        lines += [
            f"{stock}= INTEG (\n\t{inflow}-{outflow},\n\t\t{rng.randint(1, 100)})",
            "\t~\tunits",
            "\t~\tA stock.",
            "\t|",
            "",
        ]
    for flow in flows:
        uses = rng.sample(everything, 3)
        lines += [
            f"{flow}=\n\t{uses[0]} * {uses[1]} / ({uses[2]} + 1)",
            "\t~\t1/Year",
            "\t~\t",
            "\t|",
            "",
        ]
    for i, aux in enumerate(auxes):
        uses = rng.sample(everything, 2)
        table = tables[i % 110]
        lines += [f"{aux}=\n\t{table}({uses[0]}) * {uses[1]}", "\t~\tdmnl", "\t~\t", "\t|", ""]
    for table in tables:
        points = ",".join(f"({x},{rng.random():.3f})" for x in range(8))
        lines += [f"{table}(\n\t[(0,0)-(7,1)],{points})", "\t~\tdmnl", "\t~\t", "\t|", ""]
    lines += ["TIME STEP = 0.5", "\t~\tYear", "\t~\t", "\t|", ""]
    for view in range(6):
        lines += [
            "\\\\\\---/// Sketch information - do not modify anything except names",
            "V300  Do not put anything below this section - it will be ignored",
            f"*View {view + 1}",
            "$192-192-192,0,Times New Roman|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0",
        ]
        members = everything[view::6]
        ids = {}
        for k, name in enumerate(members):
            ids[name] = k + 1
            shape = 3 if name.startswith("Stock") else 8
            lines.append(
                f"10,{k + 1},{name},{100 + (k % 8) * 150},{100 + (k // 8) * 90},"
                f"40,20,{shape},3,0,0,0,0,0,0"
            )
        ghost = everything[(view * 7 + 1) % len(everything)]
        if ghost not in ids:
            ids[ghost] = len(ids) + 1
            lines.append(f"10,{ids[ghost]},{ghost},50,50,40,20,8,2,0,3,-1,0,0,0")
        arrow = len(ids) + 1
        names = list(ids)
        for _ in range(len(names) * 2):
            a, b = rng.sample(names, 2)
            lines.append(f"1,{arrow},{ids[a]},{ids[b]},1,0,43,0,0,64,0,-1--1--1,,1|(300,200)|")
            arrow += 1
    lines.append("///---\\\\\\")
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    diagram = random_diagram(1000, 2.0, 0)
    native_text = dumps_diagram(diagram)
    native_out = best(lambda: dumps_diagram(diagram))
    native_in = best(lambda: loads_diagram(native_text))
    print(
        f"1,000 variables, {len(diagram.links):,} links; native .cld.json: "
        f"save {native_out * 1000:.0f} ms, load {native_in * 1000:.0f} ms"
    )
    print(f"{'format':10} {'export ms':>10} {'x native':>9} {'import ms':>10} {'x native':>9}")
    for fmt in WRITABLE:
        data = fmt.writer(diagram, ConversionReport(fmt.name, "export"))
        out_time = best(lambda fmt=fmt: fmt.writer(diagram, ConversionReport(fmt.name, "export")))
        row = f"{fmt.name:10} {out_time * 1000:10.1f} {out_time / native_out:9.1f}"
        if fmt.reader is not None:
            suffix = fmt.extensions[0]
            in_time = best(
                lambda fmt=fmt, data=data, suffix=suffix: fmt.reader(
                    data, ConversionReport(fmt.name), "t", suffix
                )
            )
            row += f" {in_time * 1000:10.1f} {in_time / native_in:9.1f}"
        print(row)

    model = world3_like()
    report = ConversionReport("vensim")
    imported = vensim_read.read_vensim(model, report)
    plain = best(lambda: vensim_read.read_vensim(model, ConversionReport("vensim")))
    as_native = dumps_diagram(imported)
    native = best(lambda: loads_diagram(as_native))
    print(
        f"\nWorld3-sized .mdl ({len(model) / 1024:.0f} KiB: {len(imported.variables)} variables, "
        f"{len(imported.links)} links): import {plain * 1000:.0f} ms "
        f"(target < 1,000 ms; {plain / native:.1f}x its .cld.json load of {native * 1000:.1f} ms)"
    )
    if available():
        inferred = best(
            lambda: BY_NAME["vensim"].reader(model, ConversionReport("vensim"), "w", ".mdl"),
            clock=time.perf_counter,
        )
        print(f"  with pysimlin sign inference: {inferred * 1000:.0f} ms wall-clock")


if __name__ == "__main__":
    main()
