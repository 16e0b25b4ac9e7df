"""Time and peak memory of the loader on the costliest shapes of file under the 64 MiB limit.

Run: ``python -m benchmarks.bench_loader_guards [--keep FOLDER]``. Each file is written to a
temporary folder and loaded by ``load_diagram`` in a fresh Python process, which reports the
wall time of the load and its peak resident memory above what the process held before the
load (``VmHWM``, Linux). The baseline, measured in the same run, is the largest valid diagram
(50,000 variables and 150,000 links, the record limits: 25 MB, read in full); every other line
prints its ratio to it. The goal: every file under the limit accepted or refused within 2 s
and 500 MB. The hostile shapes: 59 MB of nested lists (``[[[...]]],...``, which the old
comma-counting guard let through: 3 GB and 23 s to refuse), millions of values just under the
value limit, half a million empty objects, and a valid file whose notes are full of commas and
brackets (the guard's slow, string-aware count).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from cld_editor.core.model import MAX_LINKS, MAX_VARIABLES
from cld_editor.formats.json_limits import MAX_JSON_CONTAINERS, MAX_JSON_VALUES
from cld_editor.formats.native import MAX_FILE_BYTES, dumps_diagram

try:
    from benchmarks.diagrams import random_diagram
except ImportError:  # run as a script from inside benchmarks/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.diagrams import random_diagram

GOAL_SECONDS = 2.0
GOAL_MB = 500.0

# Peak memory from VmHWM (per address space): ru_maxrss survives exec on Linux, so a child of
# this process would start with the parent's peak.
_CHILD = r"""
import json, sys, time
from cld_editor.formats.native import LoadError, load_diagram
def hwm():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
before = hwm()
start = time.perf_counter()
try:
    diagram = load_diagram(sys.argv[1])
    outcome = f"accepted ({len(diagram.variables):,} variables)"
except LoadError as exc:
    outcome = "refused: " + str(exc)[:70]
seconds = time.perf_counter() - start
peak = hwm()
print(json.dumps({"seconds": seconds, "mb": (peak - before) / 1024, "outcome": outcome}))
"""


def _envelope(rest: str) -> bytes:
    return ('{"format": "cld", "version": 1, ' + rest + "}").encode()


def valid_large() -> bytes:
    """A diagram at the record limits (50,000 variables and 150,000 links, 25 MB)."""
    return dumps_diagram(random_diagram(MAX_VARIABLES, MAX_LINKS / MAX_VARIABLES, 7)).encode()


def nested_lists() -> bytes:
    """59 MB of ``[[[...]]]`` groups 500 deep: 29.5 million lists, 59,000 commas."""
    group = "[" * 500 + "]" * 500
    return _envelope('"title": [' + ",".join([group] * 59_000) + "]")


def values_at_limit() -> bytes:
    """Just under the value limit: distinct numbers, each a new float object."""
    return _envelope('"title": [' + ",".join(f"{i}.5" for i in range(MAX_JSON_VALUES - 2)) + "]")


def strings_at_limit() -> bytes:
    """Just under the value limit: distinct short strings, the costliest value per byte."""
    items = ",".join(f'"{i:x}"' for i in range(MAX_JSON_VALUES - 2))
    return _envelope('"title": [' + items + "]")


#: Keys per object that keep as many objects as the container limit under the value limit.
OBJECT_KEYS = min(6, MAX_JSON_VALUES // MAX_JSON_CONTAINERS - 1)


def objects_at_limit() -> bytes:
    """Just under both limits: objects of as many keys as the value limit leaves (distinct
    strings and numbers)."""
    fields = ['"a": %d.5', '"b": "%x"', '"c": 3.5', '"d": "e%d"', '"e": true', '"f": -%d.5']
    record = "{" + ", ".join(fields[:OBJECT_KEYS]) + "}"
    holes = record.count("%")
    records = ",".join(record % ((i,) * holes) for i in range(MAX_JSON_CONTAINERS - 5))
    return _envelope('"title": [' + records + "]")


def brackets_in_notes() -> bytes:
    """A valid diagram of 600 variables whose notes are commas and brackets (60 MB)."""
    note = ",[{" * 33_000
    variables = [{"id": f"v{i}", "x": i, "y": 0, "notes": note} for i in range(600)]
    return json.dumps({"format": "cld", "version": 1, "variables": variables}).encode()


CASES: list[tuple[str, Callable[[], bytes]]] = [
    (f"largest valid, {MAX_VARIABLES // 1000}k/{MAX_LINKS // 1000}k (base)", valid_large),
    ("nested lists, 59 MB", nested_lists),
    (f"{MAX_JSON_VALUES / 1e6:g}M numbers", values_at_limit),
    (f"{MAX_JSON_VALUES / 1e6:g}M short strings", strings_at_limit),
    (f"{MAX_JSON_CONTAINERS // 1000}k objects of {OBJECT_KEYS} keys", objects_at_limit),
    ("notes full of , [ {", brackets_in_notes),
]


def measure(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        baseline: dict[str, object] | None = None
        print(f"{'file':34} {'MB':>6} {'s':>6} {'x base':>7} {'peak MB':>8} {'x base':>7}  outcome")
        worst_s = worst_mb = 0.0
        for name, make in CASES:
            data = make()
            assert len(data) <= MAX_FILE_BYTES, (name, len(data))
            path = folder / (name.split(",")[0].replace(" ", "-") + ".cld.json")
            path.write_bytes(data)
            del data
            figures = measure(path)
            baseline = baseline or figures
            seconds, mb = float(figures["seconds"]), float(figures["mb"])  # type: ignore[arg-type]
            ratio_s = seconds / float(baseline["seconds"])  # type: ignore[arg-type]
            ratio_mb = mb / max(float(baseline["mb"]), 1.0)  # type: ignore[arg-type]
            size = path.stat().st_size / 1e6
            print(
                f"{name:34} {size:6.1f} {seconds:6.2f} {ratio_s:7.2f} {mb:8.0f} {ratio_mb:7.2f}"
                f"  {figures['outcome']}"
            )
            if baseline is not figures:
                worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, mb)
            if not args.keep:
                path.unlink()
    verdict = "met" if worst_s <= GOAL_SECONDS and worst_mb <= GOAL_MB else "NOT met"
    print(
        f"worst hostile file: {worst_s:.2f} s, {worst_mb:.0f} MB "
        f"(goal {GOAL_SECONDS:g} s and {GOAL_MB:g} MB: {verdict})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
