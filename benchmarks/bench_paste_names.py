"""Paste benchmark: Select All + Paste when every copy's name is taken, beside a baseline
measured in the same run.

Run: ``python -m benchmarks.bench_paste_names [--repeat R]``.

Each case pastes every variable of a diagram onto the diagram itself (``edits.paste``), so each
copy needs a free name: "Variable 1" ... "Variable N" (numbered names count on), N variables
all called "Revenue" (a file with shared names), and stems of 1 ... 999 ("S3 17"). Baseline:
pasting the same number of variables whose names are all free (no name to find). Linear naming
keeps each case a small multiple of the baseline at every size, and a 4x larger paste about 4x
slower; probing each copy's number from 2 up (as before) grew 16x (N=4,000: 8 s).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from cld_editor.core import edits
from cld_editor.core.document import Document
from cld_editor.core.model import Diagram, Variable

SIZES = (1000, 4000)
CASES: dict[str, Callable[[int], list[str]]] = {
    "Variable 1..N": lambda n: [f"Variable {i}" for i in range(1, n + 1)],
    "N x Revenue": lambda n: ["Revenue"] * n,
    "S1..Sk x 1..999": lambda n: [f"S{i // 999 + 1} {i % 999 + 1}" for i in range(n)],
}


def records(labels: list[str]) -> list[Variable]:
    return [Variable(id=f"v{i}", label=label, x=float(i), y=0.0) for i, label in enumerate(labels)]


def paste_time(held: list[str], pasted: list[str], repeat: int) -> float:
    """Median time to paste variables named ``pasted`` onto a diagram of ``held``."""
    doc = Document(Diagram(variables=records(held)))
    copies = records(pasted)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        edits.paste(doc, copies, [], (10.0, 10.0))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    for n in SIZES:
        # Copies whose names are all free: the paste without any naming work.
        baseline = paste_time(
            [f"Held {i}" for i in range(n)], [f"Free {i}" for i in range(n)], repeat
        )
        print(f"N={n}: baseline (all names free) {baseline * 1000:.1f} ms")
        for name, make in CASES.items():
            labels = make(n)
            seconds = paste_time(labels, labels, repeat)
            print(f"  {name:18} {seconds * 1000:7.1f} ms  = {seconds / baseline:5.1f}x baseline")


if __name__ == "__main__":
    main()
